using System.Net;
using Metal3.Data.Entities;
using Metal3.Pxe.Dhcp;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Pxe;

/// <summary>
/// DHCP leases in <c>dhcp_leases</c>, one row per address (the primary key), for both providers.
/// <para>The database decides who holds an address: every binding (REQUEST) is a conditional upsert (see
/// <see cref="LeaseClaimBatcher"/>), committed before the ACK goes out, so two daemons on one PostgreSQL racing for
/// the last free address cannot both get it, a restarted daemon knows every address it handed out, and an expired
/// row never blocks anybody. Which address to offer is decided in memory, from a <see cref="LeaseTable"/> that mirrors
/// the table: loaded on first use, updated by this process's own bindings, reloaded when leases are expired (every
/// 30 s), and corrected row by row whenever a binding loses to another daemon.</para>
/// <para>Offers are held in that mirror only, as ISC dhcpd and Kea hold them: an offer is not a commitment (RFC 2131
/// §4.3.1), the REQUEST that follows is checked against the database, and writing the hold too would double the
/// writes of a rack powering on. The price, only with several daemons on one segment: two of them may offer one
/// address to two clients, and the second REQUEST gets a NAK and starts over.</para>
/// </summary>
public sealed class EfDhcpLeaseStore : IDhcpLeaseStore, IAsyncDisposable
{
    private const string Declined = nameof(LeaseState.Declined);

    private readonly IDbContextFactory<Metal3DbContext> _contexts;
    private readonly SqliteWriteGate _writes;
    private readonly TimeProvider _time;
    private readonly LeaseClaimBatcher _claims;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lock _lock = new();
    private readonly LeaseTable _mirror = new();
    /// <summary>Address → <see cref="_version"/> at this process's last change of it: a reload keeps what changed after it began.</summary>
    private readonly Dictionary<uint, long> _changedAt = [];
    private long _version;
    private volatile bool _loaded;

    public EfDhcpLeaseStore(IDbContextFactory<Metal3DbContext> contexts, SqliteWriteGate writes, TimeProvider time)
    {
        _contexts = contexts;
        _writes = writes;
        _time = time;
        _claims = new LeaseClaimBatcher(contexts, writes);
    }

    public async ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            var chosen = _mirror.Choose(request, now, now + hold);
            if (chosen is not null && chosen.State != LeaseState.Bound)
            {
                Put(chosen);
            }
            return chosen;
        }
    }

    public async ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (request.Requested is not { } address || !request.Pool.Permits(request.Mac, address))
        {
            return null;
        }
        await EnsureLoadedAsync(cancellationToken);
        var now = _time.GetUtcNow();
        // Always the database, never the mirror: a NAK must not come from a stale copy.
        var bound = new DhcpLease(address, request.ClientKey, request.Mac, LeaseState.Bound, now + duration);
        if (await ClaimAsync(bound, now))
        {
            lock (_lock)
            {
                Put(bound);
            }
            return bound;
        }
        await LearnAsync(address, request.ClientKey, cancellationToken);
        return null;
    }

    public async ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        uint a = Ipv4.ToUInt32(address);
        long row = a;
        await using (var db = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            await _writes.WriteAsync(() => db.DhcpLeases
                .Where(l => l.Address == row && l.ClientKey == clientKey && l.State != Declined)
                .ExecuteDeleteAsync(cancellationToken), cancellationToken);
        }
        lock (_lock)
        {
            if (_mirror.Release(clientKey, a))
            {
                Touch(a);
            }
        }
    }

    /// <summary>Offers live only in the mirror, so this never touches the database.</summary>
    public ValueTask WithdrawOfferAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        uint a = Ipv4.ToUInt32(address);
        lock (_lock)
        {
            if (_mirror.Withdraw(clientKey, a))
            {
                Touch(a);
            }
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken)
    {
        long a = Ipv4.ToUInt32(address);
        var now = _time.GetUtcNow().UtcDateTime;
        var until = now + quarantine;
        bool offeredHere;
        lock (_lock)
        {
            offeredHere = _mirror.At((uint)a) is { State: LeaseState.Offered } offer && offer.ClientKey == clientKey && offer.ExpiresAt > now;
        }
        // Only the client the address was given to can take it out of the pool (RFC 2131 §4.3.3): its binding in the
        // database, or its offer, which lives only here and so gets a row now. The quarantine belongs to nobody, so no
        // client can renew it.
        await using (var db = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            await _writes.WriteAsync(() => offeredHere
                ? db.Database.ExecuteSqlAsync($"""
                    INSERT INTO dhcp_leases ("Address", "ClientKey", "MacAddress", "State", "ExpiresAt", "UpdatedAt")
                    VALUES ({a}, '', NULL, {Declined}, {until}, {now})
                    ON CONFLICT ("Address") DO UPDATE SET "ClientKey" = '', "MacAddress" = NULL, "State" = excluded."State",
                        "ExpiresAt" = excluded."ExpiresAt", "UpdatedAt" = excluded."UpdatedAt"
                    WHERE dhcp_leases."ExpiresAt" <= {now} OR dhcp_leases."ClientKey" = {clientKey}
                    """, cancellationToken)
                : db.DhcpLeases
                    .Where(l => l.Address == a && l.ClientKey == clientKey)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(l => l.ClientKey, "")
                        .SetProperty(l => l.MacAddress, (string?)null)
                        .SetProperty(l => l.State, Declined)
                        .SetProperty(l => l.ExpiresAt, until)
                        .SetProperty(l => l.UpdatedAt, now), cancellationToken), cancellationToken);
        }
        await LearnAsync(address, clientKey, cancellationToken);
    }

    /// <summary>Deletes ended rows, then reloads the mirror: this is also how other daemons' changes reach it. Counts
    /// the rows and the offers held in memory that ended.</summary>
    public async ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        int expired;
        await using (var db = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            expired = await _writes.WriteAsync(() => db.DhcpLeases.Where(l => l.ExpiresAt <= at).ExecuteDeleteAsync(cancellationToken), cancellationToken);
        }
        int offers;
        lock (_lock)
        {
            offers = _mirror.Snapshot().Count(l => l.State == LeaseState.Offered && l.ExpiresAt <= now);
        }
        await ReloadAsync(cancellationToken);
        return expired + offers;
    }

    public async ValueTask DisposeAsync()
    {
        await _claims.DisposeAsync();
        _loading.Dispose();
    }

    private Task<bool> ClaimAsync(DhcpLease lease, DateTimeOffset now) => _claims.ClaimAsync(new LeaseClaimBatcher.Claim(
        Ipv4.ToUInt32(lease.Address), lease.ClientKey, lease.Mac, lease.State, lease.ExpiresAt.UtcDateTime, now.UtcDateTime));

    private async ValueTask EnsureLoadedAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            return;
        }
        await _loading.WaitAsync(ct);
        try
        {
            if (!_loaded)
            {
                await ReloadAsync(ct);
                _loaded = true;
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Addresses merged per hold of the lock by a reload: DISCOVERs wait on the lock, so a reload of a big
    /// table must not hold it for the whole table (about a millisecond per chunk).</summary>
    internal const int MergeChunk = 2048;

    /// <summary>Replaces the mirror with the table's live rows, but for addresses this process changed since the read
    /// began; ended offers go too. The rows are read and converted outside the lock and merged a chunk of addresses at
    /// a time: each address's outcome depends only on its own row, its own change mark and where its client is now,
    /// so merging in chunks ends where merging at once would.</summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        long mark = Interlocked.Read(ref _version);
        var now = _time.GetUtcNow().UtcDateTime;
        Dictionary<uint, DhcpLease> rows;
        await using (var db = await _contexts.CreateDbContextAsync(ct))
        {
            rows = (await db.DhcpLeases.AsNoTracking().Where(l => l.ExpiresAt > now).ToListAsync(ct))
                .ToDictionary(r => (uint)r.Address, ToLease);
        }
        IReadOnlyList<DhcpLease> held;
        lock (_lock)
        {
            held = _mirror.Snapshot();
        }
        var scope = held.Select(l => Ipv4.ToUInt32(l.Address)).Concat(rows.Keys).Distinct().ToArray();
        for (int i = 0; i < scope.Length; i += MergeChunk)
        {
            var chunk = new ArraySegment<uint>(scope, i, Math.Min(MergeChunk, scope.Length - i));
            lock (_lock)
            {
                Merge(mark, rows, chunk);
            }
        }
        lock (_lock)
        {
            _mirror.Expire(_time.GetUtcNow());
            foreach (var a in _changedAt.Where(kv => kv.Value <= mark).Select(kv => kv.Key).ToList())
            {
                _changedAt.Remove(a);
            }
        }
    }

    /// <summary>After a lost claim: what the database says about the address and the client.</summary>
    private async Task LearnAsync(IPAddress address, string clientKey, CancellationToken ct)
    {
        long a = Ipv4.ToUInt32(address);
        long mark = Interlocked.Read(ref _version);
        var now = _time.GetUtcNow().UtcDateTime;
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var rows = (await db.DhcpLeases.AsNoTracking()
            .Where(l => (l.Address == a || l.ClientKey == clientKey) && l.ExpiresAt > now)
            .ToListAsync(ct)).ToDictionary(r => (uint)r.Address, ToLease);
        lock (_lock)
        {
            var scope = rows.Keys.Append((uint)a).ToList();
            if (_mirror.Current(clientKey, _time.GetUtcNow()) is { } held)
            {
                scope.Add(Ipv4.ToUInt32(held.Address));
            }
            Merge(mark, rows, scope.Distinct().ToList());
        }
    }

    /// <summary>For each address in <paramref name="scope"/> (distinct) not changed here since <paramref name="mark"/>:
    /// the database's row, or nothing.</summary>
    private void Merge(long mark, Dictionary<uint, DhcpLease> rows, IReadOnlyList<uint> scope)
    {
        foreach (var a in scope)
        {
            // Offers live only here; the database cannot speak for them (its row, if any, still replaces them below).
            if (!ChangedSince(a, mark) && _mirror.At(a) is not { State: LeaseState.Offered })
            {
                _mirror.Forget(a);
            }
        }
        foreach (var a in scope)
        {
            if (!rows.TryGetValue(a, out var row))
            {
                continue;
            }
            // Skip rows older than a change made here since: of the address itself, or of where its client went.
            var moved = _mirror.Current(row.ClientKey, DateTimeOffset.MinValue)?.Address;
            if (!ChangedSince(a, mark) && !(moved is not null && ChangedSince(Ipv4.ToUInt32(moved), mark)))
            {
                _mirror.Put(row);
            }
        }
    }

    private bool ChangedSince(uint address, long mark) => _changedAt.TryGetValue(address, out var changed) && changed > mark;

    private void Put(DhcpLease lease)
    {
        var replacedOwnerAddress = _mirror.Current(lease.ClientKey, DateTimeOffset.MinValue)?.Address;
        _mirror.Put(lease);
        Touch(Ipv4.ToUInt32(lease.Address));
        if (replacedOwnerAddress is { } old)
        {
            Touch(Ipv4.ToUInt32(old));   // the client's previous address was let go as well
        }
    }

    private void Touch(uint address) => _changedAt[address] = Interlocked.Increment(ref _version);

    private static DhcpLease ToLease(DhcpLeaseRecord row) => new(
        Ipv4.FromUInt32((uint)row.Address), row.ClientKey, row.MacAddress, Enum.Parse<LeaseState>(row.State),
        new DateTimeOffset(DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc), TimeSpan.Zero));
}
