using Metal3.Core.HostSets;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.HostSets;

/// <summary>
/// The host sets' step of the claims loop (<see cref="Claims.ClaimReconciler"/> runs it first in every pass, so the
/// claims it makes bind in the same pass): for each set, read the set and then its claims, let
/// <see cref="HostSetPlan"/> decide, and write the claims it deletes and creates together with a bump of the set's
/// <see cref="HostSetRecord.ClaimsRevision"/>, in one transaction that holds only if the set was not written since it was
/// read. So two daemons that decide from the same rows cannot both act (no more claims than replicas, no second
/// replica down in a rollout), a user's PATCH in between voids the decision, and a kill at any point leaves the rows
/// as they were or as decided; the next pass decides again from them.
/// </summary>
public sealed partial class HostSetReconciler(
    IDbContextFactory<Metal3DbContext> dbFactory,
    SqliteWriteGate writes,
    DaemonIdentity daemon,
    TimeProvider time,
    ILogger<HostSetReconciler> log)
{
    public async Task PassAsync(CancellationToken ct)
    {
        List<Guid> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ids = await new HostSetStore(db, SqliteWriteGate.Open).IdsAsync(ct);
        }
        foreach (var id in ids)
        {
            await StepAsync(id, ct);
        }
    }

    private async Task StepAsync(Guid setId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sets = new HostSetStore(db, writes, time);
        var claims = new ClaimStore(db, writes, time);
        // The set before its claims: a decision another daemon saved after this read fails this one's revision check,
        // and one saved before it is in the claims read next.
        var set = await sets.FindAsync(setId, ct);
        if (set is null)
        {
            return;
        }
        var members = await sets.ClaimsOfAsync(setId, ct);
        bool deleting = set.DeletionRequestedAt is not null;
        var plan = HostSetPlan.Decide(set.Spec.Replicas, set.TemplateHash, deleting,
            members.Select(c => new HostSetMember(c.Id, c.Name, c.Phase, c.CreatedAt, c.TemplateHash)).ToList());
        if (plan.IsNothing)
        {
            if (deleting && members.Count == 0)
            {
                sets.Remove(set, daemon.Id);
                await sets.SaveChangesAsync(CancellationToken.None);
            }
            return;
        }
        foreach (var doomed in plan.Delete)
        {
            var claim = members.Single(c => c.Id == doomed.Id);
            claims.RequestDeletion(claim, daemon.Id, plan.Why);
            sets.Record(set, "ClaimDeleted", $"claim {claim.Name} deleted: {plan.Why}", daemon.Id, claim.Name);
        }
        var owner = new ClaimOwner(set.Id, set.Name, set.TemplateHash);
        for (int i = 0; i < plan.Create; i++)
        {
            var claim = claims.Stage(Guid.CreateVersion7(), HostSetClaimNames.New(set.Name), set.Spec.ClaimSpec(set.Name), owner, daemon.Id);
            sets.Record(set, "ClaimCreated", $"claim {claim.Name} created: {plan.Why}", daemon.Id, claim.Name);
        }
        sets.ClaimsChanged(set);
        var outcome = await sets.SaveChangesAsync(CancellationToken.None);
        if (outcome == WriteOutcome.Saved)
        {
            LogChanged(log, set.Name, plan.Delete.Count, plan.Create, plan.Why);
        }
    }

    [LoggerMessage(EventId = 242, Level = LogLevel.Information, Message = "Host set {Name}: deleted {Deleted} claims, created {Created} ({Why})")]
    private static partial void LogChanged(ILogger log, string name, int deleted, int created, string why);
}
