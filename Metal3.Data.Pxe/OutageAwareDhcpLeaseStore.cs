using System.Net;
using Metal3.Data.Outages;
using Metal3.Pxe;
using Metal3.Pxe.Dhcp;

namespace Metal3.Data.Pxe;

/// <summary>
/// The lease store as the DHCP server sees it while the database comes and goes: a database outage becomes one
/// <see cref="StoreUnavailableException"/> (the server then stays silent) and one log line per outage, not an error
/// with a stack trace per packet.
/// </summary>
public sealed class OutageAwareDhcpLeaseStore(IDhcpLeaseStore inner, DatabaseOutages outages) : IDhcpLeaseStore
{
    private const string Who = "the DHCP lease store";

    public ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.AllocateAsync(request, hold, cancellationToken));

    public ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.RenewAsync(request, duration, cancellationToken));

    public ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.ReleaseAsync(clientKey, address, cancellationToken));

    public ValueTask WithdrawOfferAsync(string clientKey, IPAddress address, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.WithdrawOfferAsync(clientKey, address, cancellationToken));

    public ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.DeclineAsync(clientKey, address, quarantine, cancellationToken));

    public ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        GuardAsync(() => inner.ExpireAsync(now, cancellationToken));

    private async ValueTask<T> GuardAsync<T>(Func<ValueTask<T>> call)
    {
        try
        {
            var result = await call();
            outages.Reachable();
            return result;
        }
        catch (Exception e) when (outages.Report(e, Who))
        {
            throw new StoreUnavailableException("the DHCP lease store (the database) cannot be reached", e);
        }
    }

    private async ValueTask GuardAsync(Func<ValueTask> call) =>
        await GuardAsync(async () =>
        {
            await call();
            return true;
        });
}
