using System.Net;

namespace Metal3.Pxe;

/// <summary>
/// <c>Metal3:Pxe</c> (DESIGN.md, "Network boot"). The daemon binds configuration to these records; nothing here reads
/// configuration itself. Every service is off until <see cref="Interface"/> is set.
/// </summary>
public sealed record PxeOptions
{
    /// <summary><c>Metal3:Pxe:Interface</c>: the only interface the DHCP and TFTP servers bind to.</summary>
    public string? Interface { get; init; }

    /// <summary><c>Metal3:Pxe:Address</c>: our IPv4 address on <see cref="Interface"/> (default: its first address).</summary>
    public IPAddress? Address { get; init; }

    /// <summary><c>Metal3:Pxe:HttpUrl</c>: the provisioning listener, e.g. <c>http://198.18.0.1:8080</c>.</summary>
    public Uri? HttpUrl { get; init; }

    public DhcpOptions Dhcp { get; init; } = new();
    public TftpOptions Tftp { get; init; } = new();
}
