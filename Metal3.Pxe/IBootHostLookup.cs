using Metal3.Core.Provisioning;

namespace Metal3.Pxe;

/// <summary>
/// The seam between the DHCP server / boot script and the host inventory (the daemon implements it over the
/// database, matching <c>spec.bootMacAddress</c>). Called once per DHCP exchange, so it should be an indexed lookup;
/// it must not throw for an unknown MAC: it returns null.
/// </summary>
public interface IBootHostLookup
{
    /// <param name="mac">Lower-case, colon-separated, as <see cref="Metal3.Core.Hosts.MacAddress"/> normalises it.</param>
    ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken);
}

/// <summary>A fixed table; for tests, benchmarks and demos.</summary>
public sealed class StaticBootHostLookup(IReadOnlyDictionary<string, BootHost> hosts) : IBootHostLookup
{
    public ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken) =>
        ValueTask.FromResult(hosts.GetValueOrDefault(mac));
}
