using System.Diagnostics.Metrics;
using Hangfire;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Server.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Metrics;

/// <summary>
/// Values that cost a query: refreshed before a scrape (at most every few seconds, however often Prometheus asks),
/// then read by an observable instrument's callback, which must not block.
/// </summary>
public interface IScrapeSource
{
    Task RefreshAsync(CancellationToken ct);
}

/// <summary>Hosts by state and operational status: one grouped query. Every combination is reported, zeros too.</summary>
public sealed class HostCounts(IDbContextFactory<Metal3DbContext> dbFactory, TimeProvider time) : IScrapeSource
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private volatile Dictionary<(ProvisioningState, OperationalStatus), long> _counts = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public async Task RefreshAsync(CancellationToken ct)
    {
        await _refreshing.WaitAsync(ct);
        try
        {
            if (time.GetUtcNow() - _refreshedAt < MaxAge)
            {
                return;
            }
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.Hosts.AsNoTracking()
                .GroupBy(h => new { h.State, h.OperationalStatus })
                .Select(g => new { g.Key.State, g.Key.OperationalStatus, Count = g.LongCount() })
                .ToListAsync(ct);
            _counts = rows.ToDictionary(r => (r.State, r.OperationalStatus), r => r.Count);
            _refreshedAt = time.GetUtcNow();
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public IEnumerable<Measurement<long>> Observe()
    {
        var now = _counts;
        foreach (var state in Enum.GetValues<ProvisioningState>())
        {
            foreach (var status in Enum.GetValues<OperationalStatus>())
            {
                yield return new Measurement<long>(now.GetValueOrDefault((state, status)),
                    new KeyValuePair<string, object?>("state", WireNames<ProvisioningState>.NameOf(state)),
                    new KeyValuePair<string, object?>("operational_status", WireNames<OperationalStatus>.NameOf(status)));
            }
        }
    }
}

/// <summary>Reconcile requests not yet handed to Hangfire, and Hangfire's enqueued and processing jobs.</summary>
public sealed class ReconcileQueueDepth(ReconcileNudges nudges, JobStorage storage, TimeProvider time) : IScrapeSource
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private long _enqueued;
    private long _processing;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public async Task RefreshAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() - _refreshedAt < MaxAge)
        {
            return;
        }
        // Hangfire's monitoring API is synchronous (a few COUNT queries on PostgreSQL).
        await Task.Run(() =>
        {
            var monitor = storage.GetMonitoringApi();
            Interlocked.Exchange(ref _enqueued, monitor.Queues().Sum(q => monitor.EnqueuedCount(q.Name)));
            Interlocked.Exchange(ref _processing, monitor.ProcessingCount());
        }, ct);
        _refreshedAt = time.GetUtcNow();
    }

    public IEnumerable<Measurement<long>> Observe() =>
    [
        new(nudges.Pending, new KeyValuePair<string, object?>("queue", "pending")),
        new(Interlocked.Read(ref _enqueued), new KeyValuePair<string, object?>("queue", "enqueued")),
        new(Interlocked.Read(ref _processing), new KeyValuePair<string, object?>("queue", "processing")),
    ];
}
