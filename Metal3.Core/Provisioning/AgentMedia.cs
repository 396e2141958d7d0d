namespace Metal3.Core.Provisioning;

/// <summary>
/// How a host boots into the deploy agent (DESIGN.md "Network boot"): firmware network boot on a network where metal3
/// answers DHCP, or the agent ISO on a virtual CD (<c>redfish-virtualmedia://</c> hosts, no DHCP needed). The job
/// chooses it from the BMC address; the steps only follow it.
/// </summary>
public abstract record AgentMedia
{
    private AgentMedia()
    {
    }

    public static readonly AgentMedia Network = new NetworkBoot();

    /// <summary>A one-time network boot (PXE), then a reboot.</summary>
    public sealed record NetworkBoot : AgentMedia;

    /// <summary>Insert <see cref="Iso"/> through the BMC's virtual media, boot the CD once, reboot; eject when the agent is done.</summary>
    public sealed record VirtualCd(Uri Iso) : AgentMedia;

    /// <summary>Virtual media for a host that cannot have it (no provisioning listener, unusable networkData): the state fails with <see cref="Why"/>.</summary>
    public sealed record Unusable(string Why) : AgentMedia;
}
