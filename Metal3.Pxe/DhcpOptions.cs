using System.Net;

namespace Metal3.Pxe;

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
    /// <summary>
    /// <c>Metal3:Pxe:Dhcp:KnownClientsOnly</c>: answer only enrolled hosts' MACs (and reserved ones; with
    /// <see cref="Discovery"/>, also unknown machines that network-boot, which discovery is for). Anyone else is
    /// ignored, so invented MACs cannot empty the pool.
    /// </summary>
    public bool KnownClientsOnly { get; init; }
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
