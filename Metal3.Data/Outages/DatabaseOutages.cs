using Microsoft.Extensions.Logging;
using Npgsql;

namespace Metal3.Data.Outages;

/// <summary>
/// Whether the database is away, as every part of the daemon that uses it finds out: the first part to hit an outage
/// says so once, the first to succeed afterwards says it is back, and everything in between is quiet (a sweep every
/// second, a change feed every 250 ms and a DHCP server per packet would otherwise write a stack trace per try).
/// </summary>
public sealed partial class DatabaseOutages(TimeProvider time, ILogger<DatabaseOutages> log)
{
    /// <summary>What a client is told to wait before trying again (<c>Retry-After</c>).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private DateTimeOffset? _awaySince;
    private long _failures;

    public bool IsAway => AwaySince is not null;

    public DateTimeOffset? AwaySince
    {
        get
        {
            lock (_gate)
            {
                return _awaySince;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="e"/> means the database is away (it is then accounted for, and logged once per outage);
    /// false for any other failure, which the caller reports as before.
    /// </summary>
    public bool Report(Exception e, string who)
    {
        if (!DatabaseFaults.IsOutage(e))
        {
            return false;
        }
        Interlocked.Increment(ref _failures);
        bool first;
        lock (_gate)
        {
            first = _awaySince is null;
            _awaySince ??= time.GetUtcNow();
        }
        if (first)
        {
            // Pooled connections to a server that went away are dead; without this each would fail once more after it returns.
            NpgsqlConnection.ClearAllPools();
            LogAway(log, who, Reason(e));
        }
        else
        {
            LogStillAway(log, who, Reason(e));
        }
        return true;
    }

    /// <summary>Something just used the database successfully: if it was away, it is back.</summary>
    public void Reachable()
    {
        if (Volatile.Read(ref _failures) == 0)
        {
            return;
        }
        DateTimeOffset? since;
        long failures;
        lock (_gate)
        {
            since = _awaySince;
            _awaySince = null;
            failures = Interlocked.Exchange(ref _failures, 0);
        }
        if (since is { } s)
        {
            NpgsqlConnection.ClearAllPools();
            LogBack(log, time.GetUtcNow() - s, failures);
        }
    }

    /// <summary>The innermost message: "Connection refused", not EF's "An exception has been raised that is likely…".</summary>
    private static string Reason(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Warning,
        Message = "The database cannot be reached ({Reason}, seen by {Who}); API requests that need it get 503, background work waits and retries")]
    private static partial void LogAway(ILogger log, string who, string reason);

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "The database is still away ({Reason}, seen by {Who})")]
    private static partial void LogStillAway(ILogger log, string who, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "The database is reachable again after {Duration} ({Failures} failed tries in between)")]
    private static partial void LogBack(ILogger log, TimeSpan duration, long failures);
}
