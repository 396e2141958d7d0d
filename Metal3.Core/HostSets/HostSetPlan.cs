namespace Metal3.Core.HostSets;

/// <summary>
/// What a host set does next, decided from its spec and its claims alone (level-triggered: the same rows give the same
/// plan, whoever computes it and however often).
/// <list type="bullet">
/// <item>Too many claims: delete the excess, Pending claims first, then the newest (by creation time, then name).</item>
/// <item>Too few: create the missing ones from the current template.</item>
/// <item>The right number, some made from an older template: replace them. The rule is "delete one old claim and create
/// its replacement in the same write, then wait until every claim is Provisioned before the next": no surge, and at most
/// one replica unavailable because of the rollout. An outdated claim that is not Provisioned serves nothing, so it is
/// replaced at once: that makes nothing less available.</item>
/// </list>
/// Releasing claims are no longer replicas: their hosts are being cleaned and freed.
/// </summary>
public sealed record HostSetPlan(IReadOnlyList<HostSetMember> Delete, int Create, string Why)
{
    public static readonly HostSetPlan Nothing = new([], 0, "");

    public bool IsNothing => Delete.Count == 0 && Create == 0;

    public static HostSetPlan Decide(int replicas, string templateHash, bool deleting, IReadOnlyList<HostSetMember> claims)
    {
        var replicasNow = claims.Where(c => !c.IsReleasing).ToList();
        if (deleting)
        {
            return replicasNow.Count == 0 ? Nothing : new HostSetPlan(replicasNow, 0, "the host set is being deleted");
        }
        if (replicasNow.Count > replicas)
        {
            var excess = replicasNow
                .OrderBy(c => c.Phase == Claims.ClaimPhase.Pending ? 0 : 1)
                .ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Name, StringComparer.Ordinal)
                .Take(replicasNow.Count - replicas)
                .ToList();
            return new HostSetPlan(excess, 0, $"scaled down to {replicas}");
        }
        if (replicasNow.Count < replicas)
        {
            return new HostSetPlan([], replicas - replicasNow.Count, $"scaled up to {replicas}");
        }
        var outdated = replicasNow.Where(c => c.TemplateHash != templateHash)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        if (outdated.Count == 0)
        {
            return Nothing;
        }
        var notServing = outdated.Where(c => !c.IsReady).ToList();
        if (notServing.Count > 0)
        {
            return new HostSetPlan(notServing, notServing.Count, "replaced by the new template (not serving)");
        }
        return replicasNow.All(c => c.IsReady)
            ? new HostSetPlan([outdated[0]], 1, "replaced by the new template, one at a time")
            : Nothing;
    }
}
