using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data;

/// <summary>
/// Host queries and writes. Every write bumps <see cref="HostRecord.ResourceVersion"/>, is guarded by it, and appends a
/// row to the change feed (<see cref="HostChangeRecord"/>) in the same transaction, which the watch API reads.
/// </summary>
public sealed class HostStore(Metal3DbContext db, SqliteWriteGate writes, TimeProvider? time = null)
{
    private DateTime UtcNow => (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    /// <summary>Writes that were not conditional retry this many times when another writer got in between read and save.</summary>
    public const int UnconditionalAttempts = 5;

    public Task<HostRecord?> FindReadOnlyAsync(string name, CancellationToken ct) =>
        db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.Name == name, ct);

    /// <summary>
    /// Saves a newly enrolled host at version 1, with its events by <paramref name="actor"/> (the API caller); the
    /// reconciler looks at it by <paramref name="lookAgainAt"/>.
    /// </summary>
    public async Task<(WriteOutcome Outcome, Host Host)> AddAsync(Host host, DateTimeOffset lookAgainAt, string? actor, CancellationToken ct)
    {
        var record = HostRows.NewRecord(host);
        HostRows.CopyTo(host, record);
        record.ResourceVersion = 1;
        record.NextReconcileAt = lookAgainAt.UtcDateTime;
        record.Labels = ToLabelRows(host.Id, host.Spec.Labels);
        db.Hosts.Add(record);
        db.HostEvents.AddRange(HostRows.EventRows(host, UtcNow, actor));
        db.HostChanges.Add(HostChangeRecord.For(record, HostChangeTypes.Added, UtcNow));
        var outcome = await SaveChangesAsync(ct);
        return (outcome, outcome == WriteOutcome.Saved ? record.ToHost() : host);
    }

    /// <summary>
    /// The one way an API write changes a host: load it, let <paramref name="decide"/> call its methods, and save what they
    /// changed if and only if nobody wrote the host since it was loaded; otherwise load it again and decide again (up to
    /// <see cref="UnconditionalAttempts"/> times), unless the decision was for that version only. Its events name
    /// <paramref name="actor"/>, the API caller.
    /// </summary>
    public async Task<HostUpdate<T>> UpdateAsync<T>(string name, Func<Host, Task<HostDecision<T>>> decide, string? actor, CancellationToken ct)
        where T : class
    {
        for (int attempt = 1; ; attempt++)
        {
            var record = await db.Hosts.FirstOrDefaultAsync(h => h.Name == name, ct);
            if (record is null)
            {
                return new HostUpdate<T>(WriteOutcome.NotFound, null);
            }
            var host = record.ToHost();
            var decision = await decide(host);
            if (decision.Refusal is { } refusal)
            {
                return new HostUpdate<T>(WriteOutcome.Refused, host, refusal);
            }
            if (decision.LookAgainAt is not { } lookAgainAt)
            {
                return new HostUpdate<T>(WriteOutcome.Unchanged, host);
            }
            HostRows.CopyTo(host, record);
            record.NextReconcileAt = lookAgainAt.UtcDateTime;
            var outcome = await UpdateAsync(record, HostRows.EventRows(host, UtcNow, actor), ct);
            if (outcome == WriteOutcome.StaleVersion && decision.RetryWhenStale && attempt < UnconditionalAttempts)
            {
                continue;
            }
            return new HostUpdate<T>(outcome, outcome == WriteOutcome.Saved ? record.ToHost() : host);
        }
    }

    /// <summary>The host the reconciler holds the lease of, for <see cref="SaveReconciledAsync"/> or <see cref="RemoveAsync(Host, string, CancellationToken)"/>.</summary>
    public async Task<Host?> FindForReconcileAsync(Guid id, CancellationToken ct) =>
        (await db.Hosts.FirstOrDefaultAsync(h => h.Id == id, ct))?.ToHost();

    /// <summary>
    /// Saves what a reconcile step changed, with its events (by <paramref name="actor"/>), sets the next look and gives the
    /// lease back, if and only if nobody wrote the host since it was loaded and <paramref name="actor"/> still holds its
    /// lease (<see cref="WriteOutcome.LeaseLost"/> otherwise). Returns the event rows as saved: a warning the host's
    /// history already ends with is left out (<see cref="EventRepeats"/>).
    /// </summary>
    public async Task<(WriteOutcome Outcome, List<HostEventRecord> Events)> SaveReconciledAsync(
        Host host, DateTimeOffset lookAgainAt, string actor, CancellationToken ct)
    {
        var record = Loaded(host);
        HostRows.CopyTo(host, record);
        record.NextReconcileAt = lookAgainAt.UtcDateTime;
        record.LeaseOwner = null;
        record.LeaseExpiresAt = null;
        var events = await EventRepeats.WithoutRepeatsAsync(db, host.Id, HostRows.EventRows(host, UtcNow, actor), ct);
        return (await UpdateAsync(record, events, ct, leaseOwner: actor), events);
    }

    /// <summary>
    /// Removes the host with its last events, if and only if nobody wrote it since it was loaded
    /// (<see cref="WriteOutcome.StaleVersion"/> otherwise: decide again rather than delete what was not seen).
    /// </summary>
    public Task<WriteOutcome> RemoveAsync(Host host, string actor, CancellationToken ct) =>
        RemoveAsync(Loaded(host), HostRows.EventRows(host, UtcNow, actor), ct, leaseOwner: actor);

    /// <summary>
    /// Saves a host loaded with <see cref="FindForReconcileAsync"/> that a claim changed (bound, provisioned, freed) together
    /// with every other change tracked in this context (the claim's row and events), in one transaction, if and only if
    /// nobody wrote the host since it was loaded: its version and its consumerRef are both in the UPDATE's condition.
    /// </summary>
    public Task<WriteOutcome> SaveForClaimAsync(Host host, DateTimeOffset lookAgainAt, string actor, CancellationToken ct)
    {
        var record = Loaded(host);
        HostRows.CopyTo(host, record);
        record.NextReconcileAt = lookAgainAt.UtcDateTime;
        return UpdateAsync(record, HostRows.EventRows(host, UtcNow, actor), ct);
    }

    private HostRecord Loaded(Host host) => db.Hosts.Local.First(r => r.Id == host.Id);

    /// <summary>
    /// Saves a tracked host whose spec and/or status changed, with events, if and only if nobody wrote it since it was read.
    /// </summary>
    private async Task<WriteOutcome> UpdateAsync(HostRecord host, IEnumerable<HostEventRecord> events, CancellationToken ct,
        string? leaseOwner = null)
    {
        host.ResourceVersion++;
        SyncLabels(host);
        db.HostEvents.AddRange(events);
        db.HostChanges.Add(HostChangeRecord.For(host, HostChangeTypes.Modified, UtcNow));
        return await SaveChangesAsync(ct, host.Id, leaseOwner);
    }

    private async Task<WriteOutcome> RemoveAsync(HostRecord host, IEnumerable<HostEventRecord> events, CancellationToken ct,
        string? leaseOwner = null)
    {
        db.Hosts.Remove(host);
        db.HostEvents.AddRange(events);
        var deleted = HostChangeRecord.For(host, HostChangeTypes.Deleted, UtcNow);
        deleted.ResourceVersion++;
        db.HostChanges.Add(deleted);
        return await SaveChangesAsync(ct, host.Id, leaseOwner);
    }

    public async Task<(List<HostRecord> Items, string? LastName)> ListAsync(HostListQuery query, CancellationToken ct)
    {
        var q = LabelSelection.Where(db.Hosts.AsNoTracking(), query.Labels);
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

    private async Task<WriteOutcome> SaveChangesAsync(CancellationToken ct, Guid? hostId = null, string? leaseOwner = null)
    {
        try
        {
            if (leaseOwner is null)
            {
                await writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
                return WriteOutcome.Saved;
            }
            var outcome = await writes.WriteAsync(() => SaveAsLeaseOwnerAsync(hostId!.Value, leaseOwner, ct), ct);
            if (outcome == WriteOutcome.LeaseLost)
            {
                db.ChangeTracker.Clear();
            }
            return outcome;
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

    /// <summary>
    /// The fence: in one transaction, a no-op UPDATE that matches the host only while <paramref name="owner"/> holds its
    /// lease, then the save. On PostgreSQL the UPDATE locks the row until the commit, so no daemon can take the lease
    /// between the check and the save; on SQLite the transaction holds the only write lock.
    /// </summary>
    private async Task<WriteOutcome> SaveAsLeaseOwnerAsync(Guid hostId, string owner, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        int held = await db.Hosts
            .Where(h => h.Id == hostId && h.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.LeaseOwner, owner), ct);
        if (held == 0)
        {
            return WriteOutcome.LeaseLost;
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return WriteOutcome.Saved;
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
        // A claim saved with a host that another claim took meanwhile (the unique index on claims.HostId): stale too.
        if (where.Contains("claims", StringComparison.OrdinalIgnoreCase))
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
