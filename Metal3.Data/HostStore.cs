using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

public enum WriteOutcome { Saved, NameTaken, BootMacTaken, StaleVersion, NotFound }

/// <summary>A label selector term: <c>key=value</c>, <c>key!=value</c>, <c>key</c> (exists) or <c>!key</c> (absent).</summary>
public sealed record LabelRequirement(string Key, string? Value, bool Negated);

public sealed record HostListQuery(
    IReadOnlyList<LabelRequirement> Labels,
    IReadOnlyList<ProvisioningState> States,
    int Limit,
    string? AfterName);

/// <summary>
/// Host queries and writes. Every write bumps <see cref="HostRecord.ResourceVersion"/>, is guarded by it, and appends a
/// row to the change feed (<see cref="HostChangeRecord"/>) in the same transaction, which the watch API reads.
/// </summary>
public sealed class HostStore(Metal3DbContext db, SqliteWriteGate writes, TimeProvider? time = null)
{
    private DateTime UtcNow => (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    public Task<HostRecord?> FindAsync(string name, CancellationToken ct) =>
        db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct);

    public Task<HostRecord?> FindReadOnlyAsync(string name, CancellationToken ct) =>
        db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);

    public async Task<WriteOutcome> AddAsync(HostRecord host, HostEventRecord enrolled, CancellationToken ct)
    {
        host.ResourceVersion = 1;
        host.Labels = ToLabelRows(host.Id, host.Spec.Labels);
        db.Hosts.Add(host);
        db.HostEvents.Add(enrolled);
        db.HostChanges.Add(HostChangeRecord.For(host, HostChangeTypes.Added, UtcNow));
        return await SaveChangesAsync(ct);
    }

    /// <summary>
    /// Saves a tracked host whose spec and/or status changed, with events, if and only if nobody wrote it since it was read.
    /// </summary>
    public async Task<WriteOutcome> UpdateAsync(HostRecord host, IEnumerable<HostEventRecord> events, CancellationToken ct)
    {
        host.ResourceVersion++;
        SyncLabels(host);
        db.HostEvents.AddRange(events);
        db.HostChanges.Add(HostChangeRecord.For(host, HostChangeTypes.Modified, UtcNow));
        return await SaveChangesAsync(ct);
    }

    /// <summary>
    /// Removes a tracked host with its last events, if and only if nobody wrote it since it was read
    /// (<see cref="WriteOutcome.StaleVersion"/> otherwise: decide again rather than delete what was not seen).
    /// </summary>
    public async Task<WriteOutcome> RemoveAsync(HostRecord host, IEnumerable<HostEventRecord> events, CancellationToken ct)
    {
        db.Hosts.Remove(host);
        db.HostEvents.AddRange(events);
        var deleted = HostChangeRecord.For(host, HostChangeTypes.Deleted, UtcNow);
        deleted.ResourceVersion++;
        db.HostChanges.Add(deleted);
        return await SaveChangesAsync(ct);
    }

    public async Task<(List<HostRecord> Items, string? LastName)> ListAsync(HostListQuery query, CancellationToken ct)
    {
        IQueryable<HostRecord> q = db.Hosts.AsNoTracking();
        foreach (var req in query.Labels)
        {
            q = (req.Value, req.Negated) switch
            {
                (null, false) => q.Where(h => h.Labels.Any(l => l.Key == req.Key)),
                (null, true) => q.Where(h => !h.Labels.Any(l => l.Key == req.Key)),
                (_, false) => q.Where(h => h.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
                (_, true) => q.Where(h => !h.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
            };
        }
        if (query.States.Count > 0)
        {
            var states = query.States.ToList();
            q = q.Where(h => states.Contains(h.State));
        }
        if (query.AfterName is { } after)
        {
            q = q.Where(h => string.Compare(h.Name, after) > 0);
        }
        // One more than asked tells whether a next page exists without a COUNT.
        var rows = await q.OrderBy(h => h.Name).Take(query.Limit + 1).ToListAsync(ct);
        string? last = null;
        if (rows.Count > query.Limit)
        {
            rows.RemoveAt(rows.Count - 1);
            last = rows[^1].Name;
        }
        return (rows, last);
    }

    public Task<List<HostEventRecord>> EventsAsync(Guid hostId, long afterId, int limit, CancellationToken ct) =>
        db.HostEvents.AsNoTracking()
            .Where(e => e.HostId == hostId && e.Id > afterId)
            .OrderBy(e => e.Id)
            .Take(limit)
            .ToListAsync(ct);

    private async Task<WriteOutcome> SaveChangesAsync(CancellationToken ct)
    {
        try
        {
            await writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
            return WriteOutcome.Saved;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return WriteOutcome.StaleVersion;
        }
        catch (DbUpdateException e) when (UniqueViolation(e) is { } outcome)
        {
            db.ChangeTracker.Clear();
            return outcome;
        }
    }

    private static WriteOutcome? UniqueViolation(DbUpdateException e)
    {
        string? where = e.InnerException switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName,
            SqliteException { SqliteErrorCode: 19 } sqlite => sqlite.Message,
            _ => null,
        };
        if (where is null)
        {
            return null;
        }
        if (where.Contains("BootMacAddress", StringComparison.OrdinalIgnoreCase))
        {
            return WriteOutcome.BootMacTaken;
        }
        // Two writers adding the same label to one host: the statements may reach the label rows before the
        // version check on the host row, so the loser learns of the race here. Its read was stale all the same.
        if (where.Contains("host_labels", StringComparison.OrdinalIgnoreCase))
        {
            return WriteOutcome.StaleVersion;
        }
        return where.Contains("Name", StringComparison.OrdinalIgnoreCase) ? WriteOutcome.NameTaken : null;
    }

    private static List<HostLabel> ToLabelRows(Guid hostId, IReadOnlyDictionary<string, string> labels) =>
        labels.Select(kv => new HostLabel { HostId = hostId, Key = kv.Key, Value = kv.Value }).ToList();

    /// <summary>The label rows mirror <c>Spec.Labels</c>; they are touched only when the labels changed.</summary>
    private void SyncLabels(HostRecord host)
    {
        var entry = db.Entry(host);
        var before = entry.Property(h => h.Spec).OriginalValue.Labels;
        var wanted = host.Spec.Labels;
        if (before.Count == wanted.Count && before.All(kv => wanted.TryGetValue(kv.Key, out var v) && v == kv.Value))
        {
            return;
        }
        entry.Collection(h => h.Labels).Load();
        foreach (var row in host.Labels.ToList())
        {
            if (!wanted.TryGetValue(row.Key, out var value))
            {
                host.Labels.Remove(row);
                db.HostLabels.Remove(row);
            }
            else if (row.Value != value)
            {
                row.Value = value;
            }
        }
        foreach (var (key, value) in wanted)
        {
            if (host.Labels.All(l => l.Key != key))
            {
                host.Labels.Add(new HostLabel { HostId = host.Id, Key = key, Value = value });
            }
        }
    }
}
