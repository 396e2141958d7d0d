using Metal3.Data;
using Metal3.Data.Outages;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Jobs;

/// <summary>
/// Measures this machine's clock against the database's: once before the daemon takes any work
/// (<see cref="SyncAsync"/>, from startup), then every <see cref="Every"/>, so that leases stay fair as clocks drift.
/// A large difference is worth an operator's attention (NTP), so it is logged, once per change of more than a second.
/// </summary>
public sealed partial class DatabaseClockSync(
    IDbContextFactory<Metal3DbContext> dbFactory, DatabaseClock clock, ILogger<DatabaseClockSync> log) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    /// <summary>Beyond this, the difference is logged as a warning: NTP is not keeping this machine right.</summary>
    private static readonly TimeSpan Noticeable = TimeSpan.FromSeconds(2);

    private TimeSpan _reported;

    public async Task SyncAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var offset = await clock.SyncAsync(db, ct);
        if ((offset - _reported).Duration() > TimeSpan.FromSeconds(1) && (offset.Duration() > Noticeable || _reported.Duration() > Noticeable))
        {
            _reported = offset;
            if (offset.Duration() > Noticeable)
            {
                // The offset is the database's time minus ours: negative when this machine runs ahead.
                LogOffset(log, offset.Duration().TotalSeconds, offset < TimeSpan.Zero ? "ahead of" : "behind");
            }
            else
            {
                LogOffsetGone(log, offset.TotalSeconds);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SyncAsync(stoppingToken);
                }
                catch (Exception e) when (DatabaseFaults.IsOutage(e))
                {
                    // The outage is logged by whoever needs the database; the last offset stands until it is back.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 250, Level = LogLevel.Warning,
        Message = "This machine's clock is {Seconds:F1} s {Direction} the database's; leases and schedules follow the database's. Check NTP on both")]
    private static partial void LogOffset(ILogger log, double seconds, string direction);

    [LoggerMessage(EventId = 251, Level = LogLevel.Information, Message = "This machine's clock agrees with the database's again ({Seconds:F1} s apart)")]
    private static partial void LogOffsetGone(ILogger log, double seconds);
}
