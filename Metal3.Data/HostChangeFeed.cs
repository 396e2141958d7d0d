using System.Data;
using System.Globalization;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>Reads and prunes the host change feed (<c>host_changes</c>).</summary>
public sealed class HostChangeFeed(Metal3DbContext db, SqliteWriteGate writes)
{
    /// <summary>
    /// Changes with an id above <paramref name="after"/>, in id order, and, on PostgreSQL, the transaction horizon of the
    /// same snapshot: ids there are handed out before commit, so a lower id can become visible after a higher one, and
    /// the horizon tells when a missing id can no longer appear. SQLite hands out ids under its one write lock, in
    /// commit order, and gives no horizon.
    /// </summary>
    public async Task<(List<HostChangeRecord> Rows, TransactionHorizon? Horizon)> ReadAfterAsync(long after, int limit, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return (await After(after, limit).ToListAsync(ct), null);
        }
        // One snapshot for both statements: the horizon must describe exactly the rows read.
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        string snapshot = await db.Database.SqlQueryRaw<string>("SELECT pg_current_snapshot()::text AS \"Value\"").SingleAsync(ct);
        var rows = await After(after, limit).ToListAsync(ct);
        await tx.CommitAsync(ct);
        return (rows, TransactionHorizon.Parse(snapshot));
    }

    public Task<long?> NewestIdAsync(CancellationToken ct) => db.HostChanges.MaxAsync(c => (long?)c.Id, ct);

    public Task<long?> OldestIdAsync(CancellationToken ct) => db.HostChanges.MinAsync(c => (long?)c.Id, ct);

    /// <summary>The last change of each host in (<paramref name="after"/>, <paramref name="upTo"/>], in id order.</summary>
    public async Task<List<HostChangeRecord>> LastPerHostAsync(long after, long upTo, CancellationToken ct)
    {
        var lastIds = await db.HostChanges.AsNoTracking()
            .Where(c => c.Id > after && c.Id <= upTo)
            .GroupBy(c => c.HostId)
            .Select(g => g.Max(c => c.Id))
            .ToListAsync(ct);
        var rows = new List<HostChangeRecord>(lastIds.Count);
        foreach (var chunk in lastIds.Chunk(1000))
        {
            rows.AddRange(await db.HostChanges.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct));
        }
        return rows.OrderBy(c => c.Id).ToList();
    }

    /// <summary>The hosts created in (<paramref name="after"/>, <paramref name="upTo"/>]: a watcher resuming from
    /// <paramref name="after"/> has never heard of them.</summary>
    public async Task<HashSet<Guid>> AddedBetweenAsync(long after, long upTo, CancellationToken ct) =>
        (await db.HostChanges.AsNoTracking()
            .Where(c => c.Id > after && c.Id <= upTo && c.Type == HostChangeTypes.Added)
            .Select(c => c.HostId)
            .ToListAsync(ct)).ToHashSet();

    /// <summary>
    /// Deletes changes older than <paramref name="before"/>, but never the newest one: it keeps the feed's high-water
    /// mark, so a client resuming from an id that was pruned is told to list again instead of silently missing changes.
    /// </summary>
    public async Task<int> PruneAsync(DateTime before, CancellationToken ct)
    {
        if (await NewestIdAsync(ct) is not { } newest)
        {
            return 0;
        }
        return await writes.WriteAsync(
            () => db.HostChanges.Where(c => c.Time < before && c.Id < newest).ExecuteDeleteAsync(ct), ct);
    }

    private IQueryable<HostChangeRecord> After(long after, int limit) =>
        db.HostChanges.AsNoTracking().Where(c => c.Id > after).OrderBy(c => c.Id).Take(limit);
}
