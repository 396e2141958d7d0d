using Metal3.Core.Provisioning;

namespace Metal3.Pxe;

/// <summary>What the network-boot services know about a machine, found by the MAC it boots from.</summary>
/// <param name="Name">The host's name.</param>
/// <param name="State">Its provisioning state; the iPXE script depends on it.</param>
/// <param name="HasImage">Whether <c>spec.image</c> is set (available with an image means "about to provision").</param>
public sealed record BootHost(string Name, ProvisioningState State, bool HasImage);

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
