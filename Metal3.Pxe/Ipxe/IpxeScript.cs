using System.Text;
using Metal3.Core.Provisioning;

namespace Metal3.Pxe.Ipxe;

/// <summary>
/// Renders the script served at <c>GET /boot/ipxe?mac=…</c>: a pure function of the host (or its absence) and URLs.
/// The HTTP endpoint looks the host up with <see cref="IBootHostLookup"/> and returns this text as
/// <c>text/plain</c>.
/// </summary>
public static class IpxeScript
{
    private const string InitrdName = "initramfs";

    /// <summary>Whether a machine in this state should run the agent (otherwise it boots its own disk).</summary>
    public static bool BootsAgent(BootHost? host, bool discovery) => host switch
    {
        null => discovery,
        { State: ProvisioningState.Registering or ProvisioningState.Inspecting or ProvisioningState.Preparing
              or ProvisioningState.Provisioning or ProvisioningState.Deprovisioning } => true,
        // Available with an image set: provisioning is about to start; the agent must be up for it.
        { State: ProvisioningState.Available, HasImage: true } => true,
        _ => false,
    };

    public static string Render(string mac, BootHost? host, AgentBoot agent, bool discovery)
    {
        var s = new StringBuilder("#!ipxe\n");
        s.Append("# metal3: ").Append(Sanitise(mac)).Append(' ')
         .Append(host is null ? "unknown" : Sanitise(host.Name) + " " + host.State).Append('\n');
        if (BootsAgent(host, discovery))
        {
            // UEFI iPXE needs initrd=<name> on the kernel line to hand the initramfs over (docs/lab.md).
            s.Append("kernel ").Append(agent.KernelUrl).Append(" initrd=").Append(InitrdName)
             .Append(" metal3.api=").Append(agent.ApiUrl.GetLeftPart(UriPartial.Authority))
             .Append(" metal3.mac=").Append(Sanitise(mac));
            if (agent.ExtraKernelArgs.Length > 0)
            {
                s.Append(' ').Append(agent.ExtraKernelArgs);
            }
            s.Append(" || goto retry\n")
             .Append("initrd --name ").Append(InitrdName).Append(' ').Append(agent.InitramfsUrl).Append(" || goto retry\n")
             .Append("boot || goto retry\n")
             .Append(":retry\nsleep 5\nchain --replace --autofree ${scriptname} || reboot\n");
        }
        else
        {
            // Boot the first local disk: BIOS via INT 13h drive 0x80; UEFI has no such drive, so exit back to
            // the firmware, which tries the next boot entry (the disk).
            s.Append("iseq ${platform} efi && goto exit ||\n")
             .Append("sanboot --no-describe --drive 0x80 || goto exit\n")
             .Append(":exit\nexit\n");
        }
        return s.ToString();
    }

    // The MAC and name come from a query string / the database; keep them from injecting script lines.
    private static string Sanitise(string value)
    {
        var s = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            s.Append(char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '.' or '_' ? c : '_');
        }
        return s.ToString();
    }
}
