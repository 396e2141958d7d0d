using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// The host lock: a lease (owner, expiry) in the host row, taken with one conditional UPDATE, so two daemons on one
/// PostgreSQL never act on the same host at once, and a daemon that dies mid-step holds nothing once it expires.
/// </summary>
public sealed class HostLeases(Metal3DbContext db, SqliteWriteGate writes, TimeProvider time)
{
    /// <summary>Takes the lease if it is free, expired or already ours. While held, the sweep leaves the host alone.</summary>
    public async Task<bool> TryAcquireAsync(Guid hostId, string owner, TimeSpan duration, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + duration;
        int rows = await writes.WriteAsync(() => db.Hosts
            .Where(h => h.Id == hostId && (h.LeaseOwner == null || h.LeaseOwner == owner || h.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.LeaseOwner, owner)
                .SetProperty(h => h.LeaseExpiresAt, until)
                // Should this daemon die holding the lease, the sweep finds the host again when the lease is over.
                .SetProperty(h => h.NextReconcileAt, until), ct), ct);
        return rows == 1;
    }

    /// <summary>
    /// Extends a lease its owner still holds, for a step that runs long. Only the owner's: a lease that ran out and was
    /// taken by another daemon, or given back meanwhile, is not taken again here (false).
    /// </summary>
    public async Task<bool> RenewAsync(Guid hostId, string owner, TimeSpan duration, CancellationToken ct)
    {
        var until = time.GetUtcNow().UtcDateTime + duration;
        int rows = await writes.WriteAsync(() => db.Hosts
            .Where(h => h.Id == hostId && h.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.LeaseExpiresAt, until)
                .SetProperty(h => h.NextReconcileAt, until), ct), ct);
        return rows == 1;
    }

    /// <summary>Gives the lease back without other changes (when the step's own save could not).</summary>
    public Task ReleaseAsync(Guid hostId, string owner, DateTime nextReconcileAt, CancellationToken ct) =>
        writes.WriteAsync(() => db.Hosts
            .Where(h => h.Id == hostId && h.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.LeaseOwner, (string?)null)
                .SetProperty(h => h.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(h => h.NextReconcileAt, nextReconcileAt), ct), ct);

    /// <summary>
    /// Hosts whose next look is due and that nobody holds; they are claimed for <paramref name="claimFor"/> so the sweep
    /// of this or another daemon does not enqueue them again while their job waits in the queue.
    /// </summary>
    public async Task<List<Guid>> ClaimDueAsync(int limit, TimeSpan claimFor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Hosts.AsNoTracking()
            .Where(h => h.NextReconcileAt <= now && (h.LeaseExpiresAt == null || h.LeaseExpiresAt < now))
            .OrderBy(h => h.NextReconcileAt)
            .Select(h => h.Id)
            .Take(limit)
            .ToListAsync(ct);
        if (due.Count > 0)
        {
            var until = now + claimFor;
            await writes.WriteAsync(() => db.Hosts
                .Where(h => due.Contains(h.Id) && h.NextReconcileAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.NextReconcileAt, until), ct), ct);
        }
        return due;
    }
}
