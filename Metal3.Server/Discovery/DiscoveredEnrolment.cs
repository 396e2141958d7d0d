using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data.Entities;
using Metal3.Server.Api;

namespace Metal3.Server.Discovery;

/// <summary>
/// The host an enroll call asks for: the operator's name, labels and BMC credentials, and from the machine its boot MAC
/// (one of its MACs), its boot mode and, when the body names no BMC address, <c>ipmi://</c> at the BMC address it
/// reported. The result is validated as any other enrolment is.
/// </summary>
public static class DiscoveredEnrolment
{
    public static (HostRequest? Request, IResult? Problem) HostRequestFor(DiscoveredEnrollRequest body, DiscoveredMachineRecord machine)
    {
        string? bootMac;
        if (body.BootMacAddress is { } asked)
        {
            if (!MacAddress.TryNormalize(asked, out string normalized) || !machine.Macs.Contains(normalized))
            {
                return (null, Problems.Invalid("bootMacAddress", $"must be one of the machine's MACs: {string.Join(", ", machine.Macs)}"));
            }
            bootMac = normalized;
        }
        else
        {
            bootMac = DefaultBootMac(machine);
        }
        var bmc = body.Bmc ?? new BmcRequest();
        if (bmc.Address is null && machine.BmcAddress is { } reported)
        {
            bmc = bmc with { Address = "ipmi://" + (reported.Contains(':') ? $"[{reported}]" : reported) };
        }
        string? bootMode = body.BootMode
            ?? (machine.Inventory?.BootMode is BootMode.Legacy ? WireName.Of(BootMode.Legacy) : null);
        return (new HostRequest
        {
            Name = body.Name,
            Labels = body.Labels,
            Bmc = bmc,
            BootMacAddress = bootMac,
            BootMode = bootMode,
            // The machine is running the agent already: powered on is what it is.
            Online = body.Online ?? true,
        }, null);
    }

    /// <summary>The first NIC with a link (the one it most likely booted from), else the first MAC it reported.</summary>
    public static string? DefaultBootMac(DiscoveredMachineRecord machine)
    {
        var linked = machine.Inventory?.Nics.FirstOrDefault(n => n.Link == true && MacAddress.TryNormalize(n.Mac, out string m)
            && machine.Macs.Contains(m));
        return linked is not null && MacAddress.TryNormalize(linked.Mac, out string mac) ? mac : machine.Macs.FirstOrDefault();
    }
}
