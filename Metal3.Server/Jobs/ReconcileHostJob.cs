using Hangfire;
using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Metrics;
using Microsoft.EntityFrameworkCore;
using System.Diagnostics;

namespace Metal3.Server.Jobs;

/// <summary>
/// <c>Reconcile(hostId)</c>: take the host's lease, load it, run one step of the state machine, save status, events and
/// the next look, give the lease back. Level-triggered: it may run any number of times for the same host.
/// </summary>
public sealed partial class ReconcileHostJob(
    IDbContextFactory<Metal3DbContext> dbFactory,
    BmcDriverRegistry drivers,
    IDeployAgentFactory agents,
    BmcTargets targets,
    IReconcileQueue queue,
    SqliteWriteGate writes,
    DaemonIdentity daemon,
    JobTimings timings,
    TimeProvider time,
    ServerMetrics metrics,
    ILogger<ReconcileHostJob> log)
{
    // Retrying is the state machine's business (back-off on the host), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leases = new HostLeases(db, writes, time);
        if (!await leases.TryAcquireAsync(hostId, daemon.Id, timings.Lease, ct))
        {
            LogLeaseHeld(log, hostId);
            return;
        }
        var record = await db.Hosts.FirstOrDefaultAsync(h => h.Id == hostId, ct);
        if (record is null)
        {
            return;
        }
        long started = Stopwatch.GetTimestamp();
        var stateBefore = record.State;
        try
        {
            await StepAsync(db, leases, record, ct);
            metrics.Reconciled(stateBefore, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStepCrashed(log, e, record.Name);
            db.ChangeTracker.Clear();
            await leases.ReleaseAsync(hostId, daemon.Id, time.GetUtcNow().UtcDateTime + timings.SafetyNet, CancellationToken.None);
        }
    }

    private async Task StepAsync(Metal3DbContext db, HostLeases leases, HostRecord record, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var snapshot = HostSnapshots.From(record, now);
        var target = targets.For(record.Spec, record.BmcPasswordProtected);
        var bmc = target is null
            ? Unsupported.Connection("the stored BMC password cannot be decrypted (were the data protection keys lost?); set bmc.password again")
            : drivers.Connect(target);
        IDeployAgent agent = target is null ? new NoDeployAgent("no BMC access") : agents.For(target);

        var outcome = await StateMachine.StepAsync(snapshot, bmc, agent, ct);

        var events = HostSnapshots.EventRows(record, snapshot, now.UtcDateTime, daemon.Id);
        if (outcome.Remove)
        {
            if (await new HostStore(db, writes, time).RemoveAsync(record, events, CancellationToken.None) == WriteOutcome.StaleVersion)
            {
                // Written since it was read (an API request): decide again rather than delete what we did not see.
                await leases.ReleaseAsync(record.Id, daemon.Id, now.UtcDateTime + timings.SafetyNet, CancellationToken.None);
                queue.Enqueue(record.Id);
            }
            return;
        }

        bool continueNow = outcome.NextLookAt is { } at && at <= now;
        var next = continueNow ? now + timings.SafetyNet : outcome.NextLookAt ?? now + timings.SafetyNet;
        bool changed = HostSnapshots.CopyBack(snapshot, record);
        WriteOutcome saved;
        if (changed || events.Count > 0)
        {
            record.NextReconcileAt = next.UtcDateTime;
            record.LeaseOwner = null;
            record.LeaseExpiresAt = null;
            saved = await new HostStore(db, writes, time).UpdateAsync(record, events, CancellationToken.None);
        }
        else
        {
            db.ChangeTracker.Clear();
            await leases.ReleaseAsync(record.Id, daemon.Id, next.UtcDateTime, CancellationToken.None);
            saved = WriteOutcome.Saved;
        }

        if (saved == WriteOutcome.Saved)
        {
            await TransitionMetrics.RecordAsync(metrics, db, record, events, CancellationToken.None);
        }
        if (saved == WriteOutcome.StaleVersion)
        {
            // The spec changed under us (an API write): what we decided may no longer hold. Decide again, now.
            await leases.ReleaseAsync(record.Id, daemon.Id, now.UtcDateTime + timings.SafetyNet, CancellationToken.None);
            queue.Enqueue(record.Id);
        }
        else if (continueNow)
        {
            queue.Enqueue(record.Id);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Host {HostId} is held by another daemon; skipping")]
    private static partial void LogLeaseHeld(ILogger log, Guid hostId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Reconciling host {Host} failed unexpectedly; it is retried later")]
    private static partial void LogStepCrashed(ILogger log, Exception e, string host);
}
