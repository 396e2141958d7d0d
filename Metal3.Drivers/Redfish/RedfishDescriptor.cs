using Metal3.Core.Bmc;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// The Redfish driver as data: every capability, for plain and virtual-media addresses. An address path, when given,
/// names the system; Redfish has no credential limits of its own.
/// </summary>
public sealed class RedfishDescriptor() : BmcDriverDescriptor(
    [BmcDriverKind.Redfish, BmcDriverKind.RedfishVirtualMedia],
    BmcCapabilities.Power | BmcCapabilities.BootDevice | BmcCapabilities.Inventory | BmcCapabilities.VirtualMedia)
{
    public override IEnumerable<BmcFieldError> Validate(BmcAddress address, string? username, string? password)
    {
        if (address.Path.Length > 0 && !address.Path.StartsWith("/redfish/v1/", StringComparison.OrdinalIgnoreCase))
        {
            yield return new(BmcField.Address,
                $"a Redfish address path must name a system under /redfish/v1/, such as /redfish/v1/Systems/1 (got '{address.Path}')");
        }
    }
}
