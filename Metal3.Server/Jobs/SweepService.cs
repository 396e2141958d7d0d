using Metal3.Data;
using Metal3.Data.Outages;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Jobs;

/// <summary>
/// The safety net of the level-triggered loop: every second, hosts whose next look is due (a wait ended, a back-off
/// expired, a job was lost with a dead daemon) are enqueued. Hangfire's recurring jobs tick once a minute at best,
/// which is too coarse for a 2-second poll, so this is a hosted loop of its own.
/// </summary>
public sealed partial class SweepService(
    IDbContextFactory<Metal3DbContext> dbFactory,
    IReconcileQueue queue,
    SqliteWriteGate writes,
    JobTimings timings,
    TimeProvider time,
    DatabaseOutages outages,
    ILogger<SweepService> log) : BackgroundService
{
    private const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(timings.SweepInterval, time);
        var pause = new RetryPause(timings.SweepInterval);
        do
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
                outages.Reachable();
                pause.Reset();
            }
            catch (Exception e) when (outages.Report(e, "the reconcile sweep"))
            {
                await Task.Delay(pause.Next(), time, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await new HostLeases(db, writes, time).ClaimDueAsync(Batch, timings.SafetyNet, ct);
        foreach (var id in due)
        {
            queue.Enqueue(id);
        }
        return due.Count;
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "The reconcile sweep failed; it runs again shortly")]
    private static partial void LogSweepFailed(ILogger log, Exception e);
}
