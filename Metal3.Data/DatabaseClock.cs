using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// The database's time, read through this machine's clock and an offset measured against the database. Daemons that
/// share a PostgreSQL judge host and DHCP leases by it, so a daemon whose clock is 90 s ahead neither takes a lease
/// that is still running nor holds one longer than the others think. On SQLite the database is on this machine, so
/// the offset stays zero. Timers and elapsed time are the local clock's (an offset does not change a duration).
/// </summary>
public sealed class DatabaseClock(TimeProvider local) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>The database's time minus this machine's, as last measured.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => local.GetUtcNow() + Offset;

    public override long GetTimestamp() => local.GetTimestamp();

    public override long TimestampFrequency => local.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => local.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        local.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Measures the offset against the database (PostgreSQL; nothing to measure on SQLite) and returns it. The database's
    /// reading is taken as the middle of the round trip, so the error is at most half of it.
    /// </summary>
    public async Task<TimeSpan> SyncAsync(Metal3DbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            Interlocked.Exchange(ref _offsetTicks, 0);
            return TimeSpan.Zero;
        }
        long started = local.GetTimestamp();
        var before = local.GetUtcNow();
        var database = await db.Database.SqlQueryRaw<DateTime>("SELECT clock_timestamp() AS \"Value\"").SingleAsync(ct);
        var roundTrip = local.GetElapsedTime(started);
        var offset = new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc)) - (before + roundTrip / 2);
        Interlocked.Exchange(ref _offsetTicks, offset.Ticks);
        return offset;
    }
}
