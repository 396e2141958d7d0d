using Metal3.Data.Outages;
using Metal3.Pxe;

namespace Metal3.Data.Pxe;

/// <summary>The host lookup of DHCP and the boot script while the database comes and goes; see <see cref="OutageAwareDhcpLeaseStore"/>.</summary>
public sealed class OutageAwareBootHostLookup(IBootHostLookup inner, DatabaseOutages outages) : IBootHostLookup
{
    public async ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken)
    {
        try
        {
            var host = await inner.FindByMacAsync(mac, cancellationToken);
            outages.Reachable();
            return host;
        }
        catch (Exception e) when (outages.Report(e, "the boot host lookup"))
        {
            throw new StoreUnavailableException("the host inventory (the database) cannot be reached", e);
        }
    }
}
