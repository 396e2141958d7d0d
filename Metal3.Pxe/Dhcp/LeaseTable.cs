using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// Leases by address and by client, and the choice of which address a DISCOVER gets. Not thread-safe: the owner holds
/// a lock around it. <see cref="InMemoryDhcpLeaseStore"/> is this table alone; the database store keeps one as its
/// view of the database, so choosing an address costs no query and only the claim goes to the database.
/// </summary>
public sealed class LeaseTable
{
    private readonly Dictionary<uint, DhcpLease> _byAddress = [];
    private readonly Dictionary<string, uint> _byClient = [];
    private ulong _cursor;

    public int Count => _byAddress.Count;

    public IReadOnlyList<DhcpLease> Snapshot() => [.. _byAddress.Values];

    public DhcpLease? At(uint address) => _byAddress.GetValueOrDefault(address);

    /// <summary>
    /// What a DISCOVER gets, in RFC 2131 §4.3.1's order: the client's current lease (returned as it is when bound: a
    /// retransmitted DISCOVER must not demote it), else an offer held until <paramref name="holdUntil"/> of its current
    /// offer, its reservation (null if someone else holds it), the requested address if free and permitted, or the next
    /// free address of the range after the last one chosen (next-fit, so a busy range is not rescanned from its start).
    /// Changes nothing: the caller puts the offer once it is sure of it.
    /// </summary>
    public DhcpLease? Choose(LeaseRequest request, DateTimeOffset now, DateTimeOffset holdUntil)
    {
        var pool = request.Pool;
        if (Current(request.ClientKey, now) is { State: not LeaseState.Declined } current && pool.Permits(request.Mac, current.Address))
        {
            return current.State == LeaseState.Bound ? current : current with { ExpiresAt = holdUntil };
        }
        if (request.Mac is not null && pool.Reservations.TryGetValue(request.Mac, out var reserved))
        {
            return IsFree(reserved, request.ClientKey, now) ? Offer(reserved) : null;
        }
        if (request.Requested is { } wanted && pool.Permits(request.Mac, wanted) && IsFree(wanted, request.ClientKey, now))
        {
            return Offer(wanted);
        }
        uint start = Ipv4.ToUInt32(pool.RangeStart), end = Ipv4.ToUInt32(pool.RangeEnd);
        ulong size = end >= start ? (ulong)end - start + 1 : 0;
        for (ulong i = 0; i < size; i++)
        {
            uint a = start + (uint)((_cursor + i) % size);
            var address = Ipv4.FromUInt32(a);
            if (IsFree(address, request.ClientKey, now) && pool.Permits(request.Mac, address))
            {
                _cursor = (ulong)(a - start) + 1;
                return Offer(address);
            }
        }
        return null;

        DhcpLease Offer(IPAddress address) => new(address, request.ClientKey, request.Mac, LeaseState.Offered, holdUntil);
    }

    /// <summary>The client's live lease, offer or (for the key that declined it) nothing.</summary>
    public DhcpLease? Current(string clientKey, DateTimeOffset now) =>
        _byClient.TryGetValue(clientKey, out var a) && _byAddress.TryGetValue(a, out var lease) && lease.ExpiresAt > now && lease.ClientKey == clientKey
            ? lease : null;

    /// <summary>Free for this client: nobody's, expired, or already this client's and not quarantined.</summary>
    public bool IsFree(IPAddress address, string clientKey, DateTimeOffset now) =>
        !_byAddress.TryGetValue(Ipv4.ToUInt32(address), out var lease) || lease.ExpiresAt <= now
        || lease.ClientKey == clientKey && lease.State != LeaseState.Declined;

    /// <summary>Records a lease; a client holds one address, so moving to another frees the old one.</summary>
    public DhcpLease Put(DhcpLease lease)
    {
        uint a = Ipv4.ToUInt32(lease.Address);
        if (_byAddress.TryGetValue(a, out var replaced) && replaced.State != LeaseState.Declined
            && _byClient.TryGetValue(replaced.ClientKey, out var owned) && owned == a)
        {
            _byClient.Remove(replaced.ClientKey);
        }
        _byAddress[a] = lease;
        if (lease.State == LeaseState.Declined)
        {
            return lease;   // a quarantine belongs to nobody
        }
        if (_byClient.TryGetValue(lease.ClientKey, out var old) && old != a && _byAddress.TryGetValue(old, out var previous)
            && previous.ClientKey == lease.ClientKey && previous.State != LeaseState.Declined)
        {
            _byAddress.Remove(old);
        }
        _byClient[lease.ClientKey] = a;
        return lease;
    }

    /// <summary>Drops whatever is known about the address.</summary>
    public void Forget(uint address)
    {
        if (_byAddress.Remove(address, out var lease) && _byClient.TryGetValue(lease.ClientKey, out var owned) && owned == address)
        {
            _byClient.Remove(lease.ClientKey);
        }
    }

    /// <summary>RELEASE: frees the address if this client holds it (a quarantine is nobody's to release).</summary>
    public bool Release(string clientKey, uint address)
    {
        if (_byAddress.TryGetValue(address, out var lease) && lease.ClientKey == clientKey && lease.State != LeaseState.Declined)
        {
            Forget(address);
            return true;
        }
        return false;
    }

    /// <summary>Drops this client's offer of the address (a binding stays).</summary>
    public bool Withdraw(string clientKey, uint address)
    {
        if (_byAddress.TryGetValue(address, out var lease) && lease.ClientKey == clientKey && lease.State == LeaseState.Offered)
        {
            Forget(address);
            return true;
        }
        return false;
    }

    /// <summary>DECLINE: only the client the address was given to can take it out of the pool (RFC 2131 §4.3.3).</summary>
    public bool Decline(string clientKey, uint address, DateTimeOffset until)
    {
        if (!_byAddress.TryGetValue(address, out var lease) || lease.ClientKey != clientKey)
        {
            return false;
        }
        Forget(address);
        Put(new DhcpLease(lease.Address, "", null, LeaseState.Declined, until));
        return true;
    }

    /// <summary>Removes every entry that ended at or before <paramref name="now"/>; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        var expired = _byAddress.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList();
        foreach (var a in expired)
        {
            Forget(a);
        }
        return expired.Count;
    }
}
