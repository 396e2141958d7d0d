using System.Net;
using Metal3.Pxe;

namespace Metal3.Server.Pxe;

/// <summary>
/// The network-boot services this daemon runs, read once from <c>Metal3:Pxe</c> by <see cref="PxeConfiguration"/>.
/// <see cref="Enabled"/> (DHCP and TFTP) is false unless <c>Metal3:Pxe:Interface</c> is set. The provisioning listener
/// runs whenever <c>Metal3:Pxe:HttpUrl</c> is set, with or without an interface (virtual media needs nothing more).
/// </summary>
public sealed record PxeHosting
{
    public static readonly PxeHosting Off = new() { Options = new PxeOptions() };

    /// <summary>TFTP (and DHCP, per its mode) run on <c>Metal3:Pxe:Interface</c>.</summary>
    public bool Enabled => Options.Interface is not null;

    /// <summary>The library's options, with <c>Address</c> and the subnet mask filled in from the interface.</summary>
    public required PxeOptions Options { get; init; }

    /// <summary>Our IPv4 address on the interface (<c>Metal3:Pxe:Address</c> or the interface's first).</summary>
    public IPAddress Address => Options.Address ?? IPAddress.None;

    /// <summary>The provisioning listener (<c>Metal3:Pxe:HttpUrl</c>), or null when none is configured.</summary>
    public Uri? HttpUrl => Options.HttpUrl;

    /// <summary><c>Metal3:Pxe:AgentKernel</c> (default <c>&lt;DataDir&gt;/ramdisk/vmlinuz</c>).</summary>
    public string AgentKernel { get; init; } = "";

    /// <summary><c>Metal3:Pxe:AgentInitramfs</c> (default <c>&lt;DataDir&gt;/ramdisk/initramfs</c>).</summary>
    public string AgentInitramfs { get; init; } = "";

    /// <summary><c>Metal3:Pxe:AgentKernelArgs</c>: appended to the agent's kernel command line, e.g. a serial console.</summary>
    public string AgentKernelArgs { get; init; } = "";

    /// <summary><c>Metal3:Pxe:ImagesDir</c> (default <c>&lt;DataDir&gt;/images</c>): operator-placed images under <c>/images/</c>.</summary>
    public string ImagesDir { get; init; } = "";

    /// <summary><c>&lt;DataDir&gt;/agent-iso</c>: the virtual-media agent ISOs built so far.</summary>
    public string AgentIsoDir { get; init; } = "";

    public bool RunsDhcp => Enabled && Options.Dhcp.Mode != DhcpMode.Off;
}
