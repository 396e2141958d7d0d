using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record NetworkInterface
{
    public required string Name { get; init; }
    public required string Mac { get; init; }
    public bool? Link { get; init; }
    public int? SpeedGbps { get; init; }
    public string? Driver { get; init; }
    public string? Ip { get; init; }
}
