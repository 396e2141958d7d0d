using System.Net;
using System.Text.Json;
using Metal3.Contracts.Agent;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Server.Agent;
using Metal3.Server.Api;

namespace Metal3.Server.Discovery;

/// <summary>
/// What an anonymous discovery report may carry: a few valid MACs, an inventory no larger than
/// <see cref="AgentOptions.DiscoveryMaxInventoryBytes"/> as JSON, and an IP address for the BMC. Anything else is refused
/// whole, with the field named, and nothing is recorded.
/// </summary>
public static class DiscoveryReportCheck
{
    public static (DiscoveredMachines.Report? Report, IResult? Problem) Check(AgentDiscoveryReport body, AgentOptions options, IPAddress? from)
    {
        var errors = new Dictionary<string, string[]>();
        var macs = new List<string>();
        var given = body.Macs ?? [];
        if (given.Count is 0 or > DiscoveredMachines.MaxMacs)
        {
            errors["macs"] = [$"between 1 and {DiscoveredMachines.MaxMacs} MAC addresses (aa:bb:cc:dd:ee:ff) are needed"];
        }
        else
        {
            for (int i = 0; i < given.Count; i++)
            {
                if (!MacAddress.TryNormalize(given[i], out string mac))
                {
                    errors[$"macs[{i}]"] = ["is not a MAC address (aa:bb:cc:dd:ee:ff)"];
                }
                else if (!macs.Contains(mac))
                {
                    macs.Add(mac);
                }
            }
        }
        string? bmc = null;
        if (body.BmcAddress is { } address)
        {
            if (address.Length > 45 || !IPAddress.TryParse(address, out var ip))
            {
                errors["bmcAddress"] = ["must be the BMC's IP address"];
            }
            else
            {
                bmc = ip.ToString();
            }
        }
        if (errors.Count > 0)
        {
            return (null, Problems.Invalid(errors));
        }
        if (body.Inventory is { } inventory
            && JsonSerializer.SerializeToUtf8Bytes(inventory, Metal3Json.Options).Length > options.DiscoveryMaxInventoryBytes)
        {
            return (null, Problems.TooLarge($"the inventory exceeds {options.DiscoveryMaxInventoryBytes} bytes as JSON " +
                "(Metal3:Agent:DiscoveryMaxInventoryBytes)"));
        }
        string? source = from is null ? null : (from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from).ToString();
        return (new DiscoveredMachines.Report(macs, body.Inventory, bmc, source), null);
    }
}
