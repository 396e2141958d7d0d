using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A host NIC. Some BMCs fill only <c>PermanentMACAddress</c>, some only <c>MACAddress</c>.</summary>
internal sealed record EthernetInterface(
    string? Id,
    string? Name,
    string? MacAddress,
    string? PermanentMacAddress,
    string? LinkStatus,
    double? SpeedMbps,
    string? Ipv4Address)
{
    public static EthernetInterface From(JsonElement e) => new(
        e.Str("Id"),
        e.Str("Name"),
        e.Str("MACAddress"),
        e.Str("PermanentMACAddress"),
        e.Str("LinkStatus"),
        e.Num("SpeedMbps"),
        e.Arr("IPv4Addresses").Select(a => a.Str("Address")).FirstOrDefault(a => !string.IsNullOrEmpty(a)));
}
