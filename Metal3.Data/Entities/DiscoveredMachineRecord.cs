using Metal3.Core.Hosts;

namespace Metal3.Data.Entities;

/// <summary>
/// A machine that booted the deploy agent and matched no host, as its agent last reported it. Keyed for reports by its
/// lowest MAC (<see cref="Key"/>), so that a machine reporting again updates its row. Unauthenticated input: bounded in
/// size and number by the API, removed once it stops reporting, and never copied onto a host except by an admin's enroll.
/// </summary>
public sealed class DiscoveredMachineRecord
{
    public Guid Id { get; set; }

    /// <summary>The lowest of <see cref="Macs"/> (lower case, colon separated): one row per machine.</summary>
    public required string Key { get; set; }

    /// <summary>Every MAC the agent reported, normalised, in its order.</summary>
    public required List<string> Macs { get; set; }
    public HardwareDetails? Inventory { get; set; }
    public string? BmcAddress { get; set; }
    public string? ReportedFrom { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}
