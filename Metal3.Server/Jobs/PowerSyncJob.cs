using Hangfire;
using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Outages;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Jobs;

/// <summary>
/// Reads the power of every managed host in the resting states, with bounded concurrency, and hands hosts whose power
/// differs from what the database says or from spec.online to the reconciler, which records and corrects it under the
/// host's lease. Only the reconciler writes status. A BMC that does not answer says nothing about the power: that is
/// "unknown", not drift; the host is handed to the reconciler once, so that the host shows the power management error
/// (an operator must see that a resting host's BMC went silent), and from then on it is in error back-off, which power
/// sync leaves to the reconciler's own retry (and the BMC's circuit breaker keeps count of the calls).
/// </summary>
public sealed partial class PowerSyncJob(
    IDbContextFactory<Metal3DbContext> dbFactory,
    BmcDriverRegistry drivers,
    BmcTargets targets,
    IReconcileQueue queue,
    JobTimings timings,
    TimeProvider time,
    DatabaseOutages outages,
    ILogger<PowerSyncJob> log)
{
    public const string RecurringId = "power-sync";

    private static readonly ProvisioningState[] Resting =
        [ProvisioningState.Available, ProvisioningState.Provisioned, ProvisioningState.ExternallyProvisioned];

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        try
        {
            return await SyncAsync(ct);
        }
        catch (Exception e) when (outages.Report(e, "power sync"))
        {
            // Not a failed job: the next run reads every host again.
            return 0;
        }
    }

    private async Task<int> SyncAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hosts = await db.Hosts.AsNoTracking()
            .Where(h => Resting.Contains(h.State) && !h.Detached && h.DeletionRequestedAt == null && h.LeaseOwner == null)
            .Select(h => new { h.Id, h.Name, h.Spec, h.Status, h.BmcPasswordProtected })
            .ToListAsync(ct);
        hosts.RemoveAll(h => h.Status.ErrorType is not null);
        int drifted = 0, unknown = 0;
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = timings.PowerSyncConcurrency, CancellationToken = ct },
            async (h, token) =>
            {
                if (targets.For(h.Spec, h.BmcPasswordProtected) is not { } target)
                {
                    return;
                }
                var bmc = drivers.Connect(target);
                var power = await bmc.Power.GetPowerAsync(time.GetUtcNow() + TimeSpan.FromSeconds(10), token);
                if (!power.IsOk)
                {
                    Interlocked.Increment(ref unknown);
                    queue.Enqueue(h.Id);
                    return;
                }
                bool on = power.Value == PowerState.On;
                if (on != h.Status.PoweredOn || on != h.Spec.Online)
                {
                    Interlocked.Increment(ref drifted);
                    queue.Enqueue(h.Id);
                }
            });
        LogSynced(log, hosts.Count, drifted, unknown);
        return drifted;
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information,
        Message = "Power sync: {Hosts} hosts read, {Drifted} drifted, {Unknown} unknown (their BMC did not answer); both handed to the reconciler")]
    private static partial void LogSynced(ILogger log, int hosts, int drifted, int unknown);
}
