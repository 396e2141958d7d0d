using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// Leases in a <see cref="LeaseTable"/> under one lock: atomic within this process, which is the whole contract for
/// tests and a single daemon without a shared database. Lost on restart.
/// </summary>
public sealed class InMemoryDhcpLeaseStore(TimeProvider time) : IDhcpLeaseStore
{
    private readonly Lock _lock = new();
    private readonly LeaseTable _table = new();

    public IReadOnlyList<DhcpLease> Snapshot()
    {
        lock (_lock)
        {
            return _table.Snapshot();
        }
    }

    public ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var chosen = _table.Choose(request, now, now + hold);
            return new(chosen is null || chosen.State == LeaseState.Bound ? chosen : _table.Put(chosen));
        }
    }

    public ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (request.Requested is not { } address || !request.Pool.Permits(request.Mac, address) || !_table.IsFree(address, request.ClientKey, now))
            {
                return new((DhcpLease?)null);
            }
            return new(_table.Put(new(address, request.ClientKey, request.Mac, LeaseState.Bound, now + duration)));
        }
    }

    public ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _table.Release(clientKey, Ipv4.ToUInt32(address));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask WithdrawOfferAsync(string clientKey, IPAddress address, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _table.Withdraw(clientKey, Ipv4.ToUInt32(address));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _table.Decline(clientKey, Ipv4.ToUInt32(address), now + quarantine);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return new(_table.Expire(now));
        }
    }
}
