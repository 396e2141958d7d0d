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

/// <summary><c>Metal3:Pxe:Dhcp:Mode</c>.</summary>
public enum DhcpMode
{
    /// <summary>No DHCP server (the default: a DHCP server never starts by surprise).</summary>
    Off,
    /// <summary>The network's DHCP server: pool, reservations, leases; boot information for known hosts.</summary>
    Full,
    /// <summary>ProxyDHCP (PXE 2.1 §2.2.4): boot information only, beside another DHCP server; ports 67 and 4011.</summary>
    Proxy,
}

/// <summary><c>Metal3:Pxe:Dhcp:*</c>.</summary>
public sealed record DhcpOptions
{
    public DhcpMode Mode { get; init; } = DhcpMode.Off;
    public IPAddress? RangeStart { get; init; }
    public IPAddress? RangeEnd { get; init; }
    public IPAddress? SubnetMask { get; init; }                    // option 1
    public IPAddress? Router { get; init; }                        // option 3
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = []; // option 6
    public int LeaseSeconds { get; init; } = 3600;                 // option 51
    /// <summary>Boot unknown machines into the agent (inspection of new hardware).</summary>
    public bool Discovery { get; init; }
    /// <summary>Fixed addresses by MAC ("52:54:00:12:34:56" → 198.18.0.20); taken out of the dynamic pool.</summary>
    public IReadOnlyDictionary<string, IPAddress> Reservations { get; init; } = new Dictionary<string, IPAddress>();
    /// <summary>How long a declined address (RFC 2131 §4.3.3) stays out of the pool.</summary>
    public int DeclineQuarantineSeconds { get; init; } = 600;
    /// <summary>How long an offered address is held for the client's REQUEST.</summary>
    public int OfferHoldSeconds { get; init; } = 30;
    /// <summary>Port 67 normally; tests use another port inside their namespace never, but benchmarks may.</summary>
    public int ServerPort { get; init; } = 67;
    public int ClientPort { get; init; } = 68;
    /// <summary>ProxyDHCP's second port (PXE 2.1 §2.2.5).</summary>
    public int ProxyPort { get; init; } = 4011;
    public BootFiles BootFiles { get; init; } = new();
}

/// <summary>TFTP names of the iPXE binaries handed to firmware that is not iPXE yet.</summary>
public sealed record BootFiles
{
    public string Bios { get; init; } = "undionly.kpxe";
    /// <summary>x64 UEFI. snponly.efi drives the NIC through the firmware's SNP, so it works wherever the firmware's PXE did.</summary>
    public string EfiX64 { get; init; } = "snponly.efi";
    public string EfiArm64 { get; init; } = "snponly-arm64.efi";
    /// <summary>Path under <see cref="PxeOptions.HttpUrl"/> for UEFI HTTP boot, which fetches an EFI binary, not a script.</summary>
    public string HttpBootPath { get; init; } = "/boot/snponly.efi";
    /// <summary>Path and query for iPXE; iPXE expands <c>${net0/mac}</c> in the file name before fetching it.</summary>
    public string IpxeScriptPath { get; init; } = "/boot/ipxe?mac=${net0/mac}";
}

/// <summary><c>Metal3:Pxe:Tftp:*</c>.</summary>
public sealed record TftpOptions
{
    /// <summary><c>Metal3:Pxe:Tftp:Root</c>: files are served from here only. Debian's ipxe package installs to /usr/lib/ipxe.</summary>
    public string Root { get; init; } = "/usr/lib/ipxe";
    public int Port { get; init; } = 69;
    /// <summary>RFC 2349 default timeout when the client does not ask for one.</summary>
    public int TimeoutSeconds { get; init; } = 1;
    public int MaxRetries { get; init; } = 5;
    /// <summary>Upper bound on the RFC 2348 blksize we accept (the RFC allows 65464; 1468 fits a 1500-byte MTU).</summary>
    public int MaxBlockSize { get; init; } = 65464;
    /// <summary>Upper bound on the RFC 7440 windowsize we accept.</summary>
    public int MaxWindowSize { get; init; } = 64;
    public int MaxSessions { get; init; } = 1024;
}
