using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record CpuDetails
{
    public string? Arch { get; init; }
    public string? Model { get; init; }
    public int Count { get; init; }
    public double? ClockMegahertz { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
}
