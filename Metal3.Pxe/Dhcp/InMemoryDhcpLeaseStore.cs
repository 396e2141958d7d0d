using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// Leases in a dictionary under one lock: atomic within this process, which is the whole contract for tests and a
/// single daemon without a shared database. Lost on restart.
/// </summary>
public sealed class InMemoryDhcpLeaseStore(TimeProvider time) : IDhcpLeaseStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, DhcpLease> _byAddress = [];
    private readonly Dictionary<string, uint> _byClient = [];
    private ulong _cursor;

    public IReadOnlyList<DhcpLease> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byAddress.Values];
        }
    }

    public ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var pool = request.Pool;
            if (CurrentOf(request.ClientKey, now) is { State: not LeaseState.Declined } current && pool.Permits(request.Mac, current.Address))
            {
                // Keep a bound lease bound; just extend an offer's hold.
                return new(current.State == LeaseState.Bound ? current : Put(current with { ExpiresAt = now + hold }));
            }
            if (request.Mac is not null && pool.Reservations.TryGetValue(request.Mac, out var reserved))
            {
                return new(IsFree(reserved, request.ClientKey, now) ? Put(new(reserved, request.ClientKey, request.Mac, LeaseState.Offered, now + hold)) : null);
            }
            if (request.Requested is { } wanted && pool.Permits(request.Mac, wanted) && IsFree(wanted, request.ClientKey, now))
            {
                return new(Put(new(wanted, request.ClientKey, request.Mac, LeaseState.Offered, now + hold)));
            }
            // Scan from where the last allocation stopped (next-fit), so a large busy range is not rescanned from its start.
            uint start = Ipv4.ToUInt32(pool.RangeStart), end = Ipv4.ToUInt32(pool.RangeEnd);
            ulong size = (ulong)end - start + 1;
            for (ulong i = 0; end >= start && i < size; i++)
            {
                uint a = start + (uint)((_cursor + i) % size);
                var address = Ipv4.FromUInt32(a);
                if (IsFree(address, request.ClientKey, now) && pool.Permits(request.Mac, address))
                {
                    _cursor = (ulong)(a - start) + 1;
                    return new(Put(new(address, request.ClientKey, request.Mac, LeaseState.Offered, now + hold)));
                }
            }
            return new((DhcpLease?)null);
        }
    }

    public ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (request.Requested is not { } address || !request.Pool.Permits(request.Mac, address) || !IsFree(address, request.ClientKey, now))
            {
                return new((DhcpLease?)null);
            }
            return new(Put(new(address, request.ClientKey, request.Mac, LeaseState.Bound, now + duration)));
        }
    }

    public ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            uint a = Ipv4.ToUInt32(address);
            if (_byAddress.TryGetValue(a, out var lease) && lease.ClientKey == clientKey && lease.State != LeaseState.Declined)
            {
                _byAddress.Remove(a);
                _byClient.Remove(clientKey);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            uint a = Ipv4.ToUInt32(address);
            // Only the client the address was given to can take it out of the pool (RFC 2131 §4.3.3).
            if (_byAddress.TryGetValue(a, out var lease) && lease.ClientKey == clientKey)
            {
                _byClient.Remove(clientKey);
                _byAddress[a] = new DhcpLease(address, "", null, LeaseState.Declined, now + quarantine);
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _byAddress.Where(kv => kv.Value.ExpiresAt <= now).ToList();
            foreach (var (a, lease) in expired)
            {
                _byAddress.Remove(a);
                if (_byClient.TryGetValue(lease.ClientKey, out var owned) && owned == a)
                {
                    _byClient.Remove(lease.ClientKey);
                }
            }
            return new(expired.Count);
        }
    }

    private DhcpLease? CurrentOf(string clientKey, DateTimeOffset now) =>
        _byClient.TryGetValue(clientKey, out var a) && _byAddress.TryGetValue(a, out var lease) && lease.ExpiresAt > now && lease.ClientKey == clientKey ? lease : null;

    private bool IsFree(IPAddress address, string clientKey, DateTimeOffset now) =>
        !_byAddress.TryGetValue(Ipv4.ToUInt32(address), out var lease) || lease.ExpiresAt <= now || lease.ClientKey == clientKey && lease.State != LeaseState.Declined;

    private DhcpLease Put(DhcpLease lease)
    {
        uint a = Ipv4.ToUInt32(lease.Address);
        // A client holds one address: moving to another frees the old one.
        if (_byClient.TryGetValue(lease.ClientKey, out var old) && old != a && _byAddress.TryGetValue(old, out var previous) && previous.ClientKey == lease.ClientKey)
        {
            _byAddress.Remove(old);
        }
        _byAddress[a] = lease;
        _byClient[lease.ClientKey] = a;
        return lease;
    }
}
