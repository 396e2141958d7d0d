using System.Net;
using Metal3.Data.Entities;
using Metal3.Pxe.Dhcp;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Metal3.Data.Pxe;

/// <summary>
/// DHCP leases in <c>dhcp_leases</c>, one row per address (the primary key), for both providers. Every change of an
/// address's owner is one conditional upsert, <c>INSERT … ON CONFLICT (address) DO UPDATE … WHERE expired OR same
/// client</c>: the database decides who wins, so two daemons on one PostgreSQL racing for the last free address cannot
/// both get it, and an expired row never blocks anybody. Reads only suggest candidates; a candidate someone else took in
/// the meantime is a lost race, and the next one is tried.
/// </summary>
public sealed class EfDhcpLeaseStore(IDbContextFactory<Metal3DbContext> contexts, SqliteWriteGate writes, TimeProvider time) : IDhcpLeaseStore
{
    /// <summary>How many addresses one read of the busy rows covers while looking for a free one.</summary>
    private const int ScanWindow = 256;
    private const string Declined = nameof(LeaseState.Declined);

    /// <summary>Next-fit, as the in-memory store: where this process's next allocation starts, as an offset into the range.</summary>
    private long _cursor;

    public async ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var pool = request.Pool;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var current = await db.DhcpLeases.AsNoTracking()
            .Where(l => l.ClientKey == request.ClientKey && l.ExpiresAt > now && l.State != Declined)
            .OrderByDescending(l => l.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (current is not null && pool.Permits(request.Mac, Ipv4.FromUInt32((uint)current.Address)))
        {
            // Keep a bound lease bound (a retransmitted DISCOVER must not demote it); extend an offer's hold.
            if (current.State == nameof(LeaseState.Bound))
            {
                return ToLease(current);
            }
            if (await ClaimAsync(db, current.Address, request, LeaseState.Offered, now + hold, now, cancellationToken) is { } extended)
            {
                return extended;
            }
        }
        if (request.Mac is not null && pool.Reservations.TryGetValue(request.Mac, out var reserved))
        {
            return await ClaimAsync(db, Ipv4.ToUInt32(reserved), request, LeaseState.Offered, now + hold, now, cancellationToken);
        }
        if (request.Requested is { } wanted && pool.Permits(request.Mac, wanted)
            && await ClaimAsync(db, Ipv4.ToUInt32(wanted), request, LeaseState.Offered, now + hold, now, cancellationToken) is { } granted)
        {
            return granted;
        }
        return await ScanAsync(db, request, now, now + hold, cancellationToken);
    }

    public async ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (request.Requested is not { } address || !request.Pool.Permits(request.Mac, address))
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ClaimAsync(db, Ipv4.ToUInt32(address), request, LeaseState.Bound, now + duration, now, cancellationToken);
    }

    public async ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        long a = Ipv4.ToUInt32(address);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await writes.WriteAsync(() => db.DhcpLeases
            .Where(l => l.Address == a && l.ClientKey == clientKey && l.State != Declined)
            .ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    public async ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken)
    {
        long a = Ipv4.ToUInt32(address);
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + quarantine;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Only the client the address was given to can take it out of the pool (RFC 2131 §4.3.3); the quarantine belongs
        // to nobody, so no client can renew it.
        await writes.WriteAsync(() => db.DhcpLeases
            .Where(l => l.Address == a && l.ClientKey == clientKey)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ClientKey, "")
                .SetProperty(l => l.MacAddress, (string?)null)
                .SetProperty(l => l.State, Declined)
                .SetProperty(l => l.ExpiresAt, until)
                .SetProperty(l => l.UpdatedAt, now), cancellationToken), cancellationToken);
    }

    public async ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await writes.WriteAsync(() => db.DhcpLeases.Where(l => l.ExpiresAt <= at).ExecuteDeleteAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The range from a start of this allocation's own round to it again, a window of busy rows at a time. Every
    /// allocation takes the next start from the cursor, so allocations running at once in this process try different
    /// addresses instead of all queueing on the row lock of the same lowest free one (measured: 25 DORA/s with a shared
    /// start under perfdhcp, as each waited for the previous one's transaction).
    /// </summary>
    private async Task<DhcpLease?> ScanAsync(Metal3DbContext db, LeaseRequest request, DateTime now, DateTime until, CancellationToken ct)
    {
        long start = Ipv4.ToUInt32(request.Pool.RangeStart), end = Ipv4.ToUInt32(request.Pool.RangeEnd);
        if (end < start)
        {
            return null;
        }
        long size = end - start + 1;
        long offset = (Interlocked.Increment(ref _cursor) - 1) % size;
        foreach (var (from, to) in new[] { (start + offset, end), (start, start + offset - 1) })
        {
            for (long lo = from; lo <= to; lo += ScanWindow)
            {
                long hi = Math.Min(to, lo + ScanWindow - 1);
                var busy = await db.DhcpLeases.AsNoTracking()
                    .Where(l => l.Address >= lo && l.Address <= hi && l.ExpiresAt > now)
                    .Select(l => new { l.Address, l.ClientKey, l.State })
                    .ToDictionaryAsync(l => l.Address, ct);
                for (long a = lo; a <= hi; a++)
                {
                    if (busy.TryGetValue(a, out var row) && (row.ClientKey != request.ClientKey || row.State == Declined))
                    {
                        continue;
                    }
                    if (!request.Pool.Permits(request.Mac, Ipv4.FromUInt32((uint)a)))
                    {
                        continue;
                    }
                    if (await ClaimAsync(db, a, request, LeaseState.Offered, until, now, ct) is { } offered)
                    {
                        // Busy addresses skipped here need not be tried again by the next allocation (racy, and harmless:
                        // the cursor only chooses where to start looking).
                        long next = a - start + 1;
                        if (next != offset + 1)
                        {
                            Interlocked.Exchange(ref _cursor, next);
                        }
                        return offered;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Gives <paramref name="address"/> to the client if nobody else holds it (free, expired, or already this client's
    /// and not quarantined), and lets go of any other address the client held: a client holds one address. One
    /// transaction; null when another client holds it, including one that got there a moment earlier.
    /// </summary>
    private async Task<DhcpLease?> ClaimAsync(Metal3DbContext db, long address, LeaseRequest request, LeaseState state, DateTime until,
        DateTime now, CancellationToken ct)
    {
        string key = request.ClientKey;
        string? mac = request.Mac;
        string stateName = state.ToString();
        try
        {
            bool won = await writes.WriteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                int rows = await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO dhcp_leases ("Address", "ClientKey", "MacAddress", "State", "ExpiresAt", "UpdatedAt")
                    VALUES ({address}, {key}, {mac}, {stateName}, {until}, {now})
                    ON CONFLICT ("Address") DO UPDATE SET "ClientKey" = excluded."ClientKey", "MacAddress" = excluded."MacAddress",
                        "State" = excluded."State", "ExpiresAt" = excluded."ExpiresAt", "UpdatedAt" = excluded."UpdatedAt"
                    WHERE dhcp_leases."ExpiresAt" <= {now} OR (dhcp_leases."ClientKey" = {key} AND dhcp_leases."State" <> 'Declined')
                    """, ct);
                if (rows != 1)
                {
                    return false;
                }
                await db.DhcpLeases
                    .Where(l => l.ClientKey == key && l.Address != address && l.State != Declined)
                    .ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
                return true;
            }, ct);
            return won ? new DhcpLease(Ipv4.FromUInt32((uint)address), key, mac, state, new DateTimeOffset(until, TimeSpan.Zero)) : null;
        }
        catch (Exception e) when (LostRace(e))
        {
            return null;
        }
    }

    /// <summary>
    /// The upsert makes a primary-key violation impossible in principle; should one surface anyway (or PostgreSQL pick
    /// this transaction as a deadlock victim while two daemons move one client), the other writer won.
    /// </summary>
    private static bool LostRace(Exception e) => (e is DbUpdateException { InnerException: { } inner } ? inner : e) switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } => true,
        SqliteException { SqliteErrorCode: 19 } => true,
        _ => false,
    };

    private static DhcpLease ToLease(DhcpLeaseRecord row) => new(
        Ipv4.FromUInt32((uint)row.Address), row.ClientKey, row.MacAddress, Enum.Parse<LeaseState>(row.State),
        new DateTimeOffset(DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc), TimeSpan.Zero));
}
