using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Core.Hosts;

namespace Metal3.Pxe.VirtualMedia;

/// <summary>
/// A static IPv4 address for the agent on a network without DHCP, taken from the host's <c>networkData</c> (OpenStack's
/// network_data.json: <c>links</c> with <c>ethernet_mac_address</c>, <c>networks</c> of <c>type</c> "ipv4" with
/// <c>ip_address</c>, <c>netmask</c> and <c>routes</c>, <c>services</c> of <c>type</c> "dns"), and the kernel arguments
/// the ramdisk's init turns back into it (Metal3.Agent/ramdisk/init).
/// </summary>
public sealed record StaticAddress(string Mac, IPAddress Address, int PrefixLength, IPAddress? Gateway, IReadOnlyList<IPAddress> Dns)
{
    /// <summary><c>metal3.mac=… metal3.ip=ADDRESS/PREFIX [metal3.gateway=…] [metal3.dns=A,B]</c></summary>
    public string KernelArgs =>
        $"metal3.mac={Mac} metal3.ip={Address}/{PrefixLength}"
        + (Gateway is null ? "" : $" metal3.gateway={Gateway}")
        + (Dns.Count == 0 ? "" : $" metal3.dns={string.Join(',', Dns)}");

    /// <summary>
    /// The static network of <paramref name="networkData"/> on the NIC <paramref name="bootMac"/> (or, when none names
    /// that NIC, the first static one). Null, with no error, when there is none: the agent asks DHCP then. A static
    /// network that is there but malformed is an error naming the field, and no address.
    /// </summary>
    public static StaticAddress? From(string? networkData, string? bootMac, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(networkData))
        {
            return null;
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(networkData);
        }
        catch (JsonException)
        {
            // Not network_data.json (cloud-init's own formats are YAML): nothing here for the ramdisk to use.
            return null;
        }
        if (root is not JsonObject data || data["networks"] is not JsonArray networks)
        {
            return null;
        }
        var macs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var link in data["links"] as JsonArray ?? [])
        {
            if (Text(link?["id"]) is { } id && MacAddress.TryNormalize(Text(link?["ethernet_mac_address"]), out var mac))
            {
                macs[id] = mac;
            }
        }
        var statics = networks.OfType<JsonObject>().Where(n => Text(n["type"]) == "ipv4").ToList();
        string? boot = MacAddress.TryNormalize(bootMac, out var normalized) ? normalized : null;
        var chosen = statics.FirstOrDefault(n => Text(n["link"]) is { } l && boot is not null && macs.GetValueOrDefault(l) == boot)
            ?? statics.FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }
        string where = $"networkData network '{Text(chosen["id"]) ?? "(no id)"}'";
        string? nicMac = (Text(chosen["link"]) is { } chosenLink ? macs.GetValueOrDefault(chosenLink) : null) ?? boot;
        if (nicMac is null)
        {
            error = $"{where}: its link has no ethernet_mac_address and the host has no bootMacAddress, so no NIC can take the address";
            return null;
        }
        if (!TryIpv4(Text(chosen["ip_address"]), out var address))
        {
            error = $"{where}: ip_address '{Text(chosen["ip_address"])}' is not an IPv4 address";
            return null;
        }
        int? prefix = Prefix(Text(chosen["netmask"]));
        if (prefix is null)
        {
            error = $"{where}: netmask '{Text(chosen["netmask"])}' is not an IPv4 netmask such as 255.255.255.0";
            return null;
        }
        IPAddress? gateway = null;
        foreach (var route in chosen["routes"] as JsonArray ?? [])
        {
            if (Text(route?["network"]) == "0.0.0.0" && TryIpv4(Text(route?["gateway"]), out var gw))
            {
                gateway = gw;
                break;
            }
        }
        var dns = new List<IPAddress>();
        foreach (var service in (chosen["services"] as JsonArray ?? []).Concat(data["services"] as JsonArray ?? []))
        {
            if (Text(service?["type"]) == "dns" && TryIpv4(Text(service?["address"]), out var server) && !dns.Contains(server))
            {
                dns.Add(server);
            }
        }
        return new StaticAddress(nicMac, address, prefix.Value, gateway, dns);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static bool TryIpv4(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text is null || text.Count(c => c == '.') != 3 || !IPAddress.TryParse(text, out var parsed)
            || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>The prefix length of a contiguous netmask (255.255.255.0 → 24); null for anything else.</summary>
    private static int? Prefix(string? netmask)
    {
        if (!TryIpv4(netmask, out var mask))
        {
            return null;
        }
        uint bits = Dhcp.Ipv4.ToUInt32(mask);
        int ones = BitOperations.PopCount(bits);
        return ones > 0 && bits == uint.MaxValue << (32 - ones) ? ones : null;
    }
}
