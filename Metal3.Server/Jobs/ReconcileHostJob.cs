using Hangfire;
using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Outages;
using Metal3.Drivers;
using Metal3.Server.Agent;
using Metal3.Server.Metrics;
using Metal3.Server.VirtualMedia;
using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using Host = Metal3.Core.Hosts.Host;

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
    DatabaseOutages outages,
    BmcCircuitBreaker breakers,
    AgentIsoUrls agentIsos,
    RunningSteps running,
    ILogger<ReconcileHostJob> log)
{
    /// <summary>The soonest a host whose BMC probe is due is looked at again (the probe is another host's to make).</summary>
    private static readonly TimeSpan ProbeDueAgain = TimeSpan.FromSeconds(5);

    // Retrying is the state machine's business (back-off on the host), not Hangfire's.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid hostId, CancellationToken ct)
    {
        try
        {
            await ReconcileAsync(hostId, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The daemon is stopping (SIGTERM): the step was cut short and nothing of it was saved. Hand the host back now,
            // not when the lease runs out, so another daemon, or this one restarted, takes it up at once.
            await ReleaseAtOnceAsync(hostId);
        }
        catch (Exception e) when (outages.Report(e, "a reconcile job"))
        {
            // Not a failed job: the host's row says what to do next, and nothing of this step was saved. What matters is
            // the lease, which may be ours (the outage can come after it was taken): give it back as soon as the
            // database answers, so the host moves at once instead of waiting for the lease to run out.
            await ReleaseWhenBackAsync(hostId, ct);
        }
    }

    private async Task ReleaseAtOnceAsync(Guid hostId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(deadline.Token);
            await new HostLeases(db, writes, time).ReleaseAsync(hostId, daemon.Id, time.GetUtcNow().UtcDateTime, deadline.Token);
            LogReleasedOnStop(log, hostId);
        }
        catch (Exception e) when (e is OperationCanceledException || DatabaseFaults.IsOutage(e))
        {
            // No database to tell: the lease runs out by itself.
        }
    }

    private async Task ReleaseWhenBackAsync(Guid hostId, CancellationToken ct)
    {
        var giveUpAt = time.GetUtcNow() + timings.Lease;
        var pause = new RetryPause(TimeSpan.FromSeconds(1));
        while (!ct.IsCancellationRequested && time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(pause.Next(), time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await new HostLeases(db, writes, time).ReleaseAsync(hostId, daemon.Id, time.GetUtcNow().UtcDateTime, ct);
                outages.Reachable();
                return;
            }
            catch (Exception e) when (outages.Report(e, "a reconcile job") || e is OperationCanceledException)
            {
                // Still away (or stopping): the lease runs out by itself in the worst case.
            }
        }
    }

    private async Task ReconcileAsync(Guid hostId, CancellationToken ct)
    {
        if (!running.TryStart(hostId))
        {
            LogAlreadyRunning(log, hostId);
            return;
        }
        try
        {
            await ReconcileLeasedAsync(hostId, ct);
        }
        finally
        {
            if (running.Finish(hostId))
            {
                queue.Enqueue(hostId);
            }
        }
    }

    private async Task ReconcileLeasedAsync(Guid hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leases = new HostLeases(db, writes, time);
        if (!await leases.TryAcquireAsync(hostId, daemon.Id, timings.Lease, ct))
        {
            LogLeaseHeld(log, hostId);
            return;
        }
        var store = new HostStore(db, writes, time);
        var host = await store.FindForReconcileAsync(hostId, ct);
        if (host is null)
        {
            return;
        }
        long started = Stopwatch.GetTimestamp();
        var stateBefore = host.State;
        await using var keeper = LeaseKeeper.Start(c => RenewAsync(hostId, c), timings.Lease, time, ct);
        try
        {
            await StepAsync(db, store, leases, host, keeper.Token);
            metrics.Reconciled(stateBefore, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (keeper.LostBecause is { } why && !ct.IsCancellationRequested)
        {
            // Nothing of the step is saved, and the lease is not ours to give back: the host is another daemon's now,
            // or will be once the lease runs out.
            LogLeaseLost(log, host.Name, why);
        }
        catch (Exception e) when (e is not OperationCanceledException && !DatabaseFaults.IsOutage(e))
        {
            LogStepCrashed(log, e, host.Name);
            db.ChangeTracker.Clear();
            await leases.ReleaseAsync(hostId, daemon.Id, time.GetUtcNow().UtcDateTime + timings.SafetyNet, CancellationToken.None);
        }
    }

    /// <summary>Extends the lease from a context of its own: the step's is busy with the step.</summary>
    private async Task<bool> RenewAsync(Guid hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await new HostLeases(db, writes, time).RenewAsync(hostId, daemon.Id, timings.Lease, ct);
    }

    private async Task StepAsync(Metal3DbContext db, HostStore store, HostLeases leases, Host host, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var snapshot = host.Snapshot(now);
        var target = targets.For(host.Spec, host.ProtectedBmcPassword);
        var bmc = target is null
            ? Unsupported.Connection("the stored BMC password cannot be decrypted (were the data protection keys lost?); set bmc.password again")
            : drivers.Connect(target);
        IDeployAgent agent = target is null ? new NoDeployAgent("no BMC access") : agents.For(target);
        var sessions = new AgentSessionStore(db, writes, time);
        bmc = bmc.Through(new PowerActionEndsAgentToken(host.Id, sessions));

        var stateBefore = host.State;
        var outcome = await StateMachine.StepAsync(snapshot, bmc, agent, ct, agentIsos.MediaFor(host.Id, host.Spec));

        bool changed = host.ApplyReconcile(outcome);
        if (outcome.Remove)
        {
            if (await store.RemoveAsync(host, daemon.Id, CancellationToken.None) == WriteOutcome.StaleVersion)
            {
                // Written since it was read (an API request): decide again rather than delete what we did not see.
                await leases.ReleaseAsync(host.Id, daemon.Id, now.UtcDateTime + timings.SafetyNet, CancellationToken.None);
                queue.Enqueue(host.Id);
            }
            return;
        }

        bool continueNow = outcome.NextLookAt is { } at && at <= now;
        var next = continueNow ? now + timings.SafetyNet : outcome.NextLookAt ?? now + timings.SafetyNet;
        if (host.Status.ErrorType is not null && target is not null && breakers.NextProbeAt(target.Address) is { } probe && probe < next)
        {
            // Failing because its BMC is away: look again when the BMC's circuit lets a probe through, not at the end of a
            // back-off of up to 10 minutes, so the host is healthy within one probe interval of its BMC's return.
            next = probe > now ? probe : now + ProbeDueAgain;
        }
        WriteOutcome saved;
        if (changed || host.NewEvents.Count > 0)
        {
            (saved, var events) = await store.SaveReconciledAsync(host, next, daemon.Id, CancellationToken.None);
            if (saved == WriteOutcome.Saved)
            {
                metrics.EventsCollapsed(host.NewEvents.Count - events.Count);
                await TransitionMetrics.RecordAsync(metrics, db, host, events, CancellationToken.None);
                if (AgentStates.Expects(stateBefore) && !AgentStates.Expects(host.State))
                {
                    // Only once the new state is saved: a lost write re-decides in the old state, where the agent still works.
                    await sessions.EndSessionAsync(host.Id, CancellationToken.None);
                }
            }
        }
        else
        {
            db.ChangeTracker.Clear();
            await leases.ReleaseAsync(host.Id, daemon.Id, next.UtcDateTime, CancellationToken.None);
            saved = WriteOutcome.Saved;
        }

        if (saved == WriteOutcome.LeaseLost)
        {
            // A late write, refused: another daemon took the host when our lease ran out. What it does stands; should it
            // have finished already, the host is decided again here, from what it saved.
            LogLeaseLost(log, host.Name, "its lease ran out and another daemon took the host");
            queue.Enqueue(host.Id);
            return;
        }
        if (saved == WriteOutcome.StaleVersion)
        {
            // The spec changed under us (an API write): what we decided may no longer hold. Decide again, now.
            await leases.ReleaseAsync(host.Id, daemon.Id, now.UtcDateTime + timings.SafetyNet, CancellationToken.None);
            queue.Enqueue(host.Id);
        }
        else if (continueNow)
        {
            queue.Enqueue(host.Id);
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Host {HostId} is held by another daemon; skipping")]
    private static partial void LogLeaseHeld(ILogger log, Guid hostId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Host {HostId} has a step running in this daemon; it looks again when done")]
    private static partial void LogAlreadyRunning(ILogger log, Guid hostId);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "Host {Host}: its step was stopped and nothing of it saved, because {Why}; the host is taken up again")]
    private static partial void LogLeaseLost(ILogger log, string host, string why);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Stopping: host {HostId} handed back before its step finished")]
    private static partial void LogReleasedOnStop(ILogger log, Guid hostId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Reconciling host {Host} failed unexpectedly; it is retried later")]
    private static partial void LogStepCrashed(ILogger log, Exception e, string host);
}
