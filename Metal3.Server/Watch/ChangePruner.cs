using Metal3.Data;
using Metal3.Data.Outages;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Watch;

/// <summary>Deletes changes older than <see cref="WatchOptions.Retention"/>; every daemon does, which is harmless.</summary>
public sealed partial class ChangePruner(
    IDbContextFactory<Metal3DbContext> dbFactory,
    SqliteWriteGate writes,
    WatchOptions options,
    TimeProvider time,
    DatabaseOutages outages,
    ILogger<ChangePruner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception e) when (outages.Report(e, "the change feed pruner"))
            {
                // Runs again at the next tick.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPruneFailed(log, e);
            }
        }
    }

    public async Task<int> PruneOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await new HostChangeFeed(db, writes).PruneAsync(time.GetUtcNow().UtcDateTime - options.Retention, ct);
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Pruning the host change feed failed; it runs again later")]
    private static partial void LogPruneFailed(ILogger log, Exception e);
}
