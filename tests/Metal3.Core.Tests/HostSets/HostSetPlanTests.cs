using Metal3.Core.Claims;
using Metal3.Core.HostSets;

namespace Metal3.Core.Tests.HostSets;

/// <summary>The decisions of a host set from its claims alone: what is deleted first, and how a rollout paces itself.</summary>
public sealed class HostSetPlanTests
{
    private const string Current = "new";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static HostSetMember Claim(string name, ClaimPhase phase, int minute, string hash = Current) =>
        new(Guid.NewGuid(), name, phase, T0.AddMinutes(minute), hash);

    [Fact]
    public void Scaling_down_deletes_pending_claims_first_then_the_newest()
    {
        var claims = new[]
        {
            Claim("old", ClaimPhase.Provisioned, 1), Claim("mid", ClaimPhase.Provisioned, 2), Claim("new", ClaimPhase.Bound, 3),
            Claim("waiting", ClaimPhase.Pending, 0), Claim("gone", ClaimPhase.Releasing, 4),
        };

        var plan = HostSetPlan.Decide(replicas: 2, Current, deleting: false, claims);

        Assert.Equal(["waiting", "new"], plan.Delete.Select(c => c.Name));
        Assert.Equal(0, plan.Create);
    }

    [Fact]
    public void Scaling_up_creates_the_missing_claims_and_releasing_ones_do_not_count()
    {
        var plan = HostSetPlan.Decide(replicas: 3, Current, deleting: false, [Claim("a", ClaimPhase.Provisioned, 1), Claim("b", ClaimPhase.Releasing, 2)]);

        Assert.Empty(plan.Delete);
        Assert.Equal(2, plan.Create);
    }

    [Fact]
    public void A_rollout_replaces_the_oldest_serving_claim_only_while_every_replica_is_ready()
    {
        var ready = new[] { Claim("a", ClaimPhase.Provisioned, 2, "old"), Claim("b", ClaimPhase.Provisioned, 1, "old"), Claim("c", ClaimPhase.Provisioned, 3) };
        var step = HostSetPlan.Decide(3, Current, false, ready);
        Assert.Equal(["b"], step.Delete.Select(c => c.Name));
        Assert.Equal(1, step.Create);

        var oneDown = new[] { Claim("a", ClaimPhase.Provisioned, 2, "old"), Claim("c", ClaimPhase.Provisioned, 3), Claim("d", ClaimPhase.Bound, 4) };
        Assert.True(HostSetPlan.Decide(3, Current, false, oneDown).IsNothing);
    }

    [Fact]
    public void Outdated_claims_that_serve_nothing_are_replaced_at_once()
    {
        var claims = new[] { Claim("a", ClaimPhase.Provisioned, 1, "old"), Claim("b", ClaimPhase.Pending, 2, "old"), Claim("c", ClaimPhase.Bound, 3, "old") };

        var plan = HostSetPlan.Decide(3, Current, false, claims);

        Assert.Equal(["b", "c"], plan.Delete.Select(c => c.Name));
        Assert.Equal(2, plan.Create);
    }

    [Fact]
    public void A_deleted_set_deletes_every_claim_and_then_has_nothing_left_to_do()
    {
        var plan = HostSetPlan.Decide(3, Current, deleting: true, [Claim("a", ClaimPhase.Provisioned, 1), Claim("b", ClaimPhase.Releasing, 2)]);
        Assert.Equal(["a"], plan.Delete.Select(c => c.Name));
        Assert.Equal(0, plan.Create);

        Assert.True(HostSetPlan.Decide(3, Current, deleting: true, [Claim("b", ClaimPhase.Releasing, 2)]).IsNothing);
    }

    [Fact]
    public void The_template_hash_ignores_label_order_and_changes_with_the_image()
    {
        var image = new Metal3.Core.Hosts.ImageSpec { Url = "http://i/a.raw", Checksum = new string('a', 64) };
        var one = new HostSetTemplate { Image = image, Labels = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" } };
        var same = new HostSetTemplate { Image = image, Labels = new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" } };

        Assert.Equal(one.Hash(), same.Hash());
        Assert.NotEqual(one.Hash(), (one with { Image = image with { Url = "http://i/b.raw" } }).Hash());
        Assert.NotEqual(one.Hash(), (one with { UserData = "#cloud-config" }).Hash());
    }
}
