using Metal3.Core.Hosts;

namespace Metal3.Contracts.Api;

/// <summary>
/// A machine that booted the deploy agent but matched no host. Everything here is what the machine itself reported, with
/// nobody vouching for it: a hint for enrolling it, which inspection replaces. <see cref="Inventory"/> is set by
/// <c>GET /api/v1/discovered/{id}</c> only; lists carry the <see cref="Summary"/>.
/// </summary>
public sealed record DiscoveredMachineResponse
{
    public required string Id { get; init; }
    public required IReadOnlyList<string> Macs { get; init; }

    /// <summary>The BMC's IP address when the ramdisk could read it; null when it could not.</summary>
    public string? BmcAddress { get; init; }

    /// <summary>The address the last report came from (the machine's on the provisioning network, or a relay's).</summary>
    public string? ReportedFrom { get; init; }
    public DateTimeOffset FirstSeenAt { get; init; }
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>When the machine is forgotten unless it reports again (<c>Metal3:Agent:DiscoveryTtl</c> after the last report).</summary>
    public DateTimeOffset ExpiresAt { get; init; }
    public required DiscoveredSummary Summary { get; init; }
    public HardwareDetails? Inventory { get; init; }
}
