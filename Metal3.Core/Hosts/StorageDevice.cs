using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record StorageDevice
{
    public required string Name { get; init; }
    public long SizeBytes { get; init; }
    public bool? Rotational { get; init; }
    public string? Model { get; init; }
    public string? Vendor { get; init; }
    public string? SerialNumber { get; init; }
    public string? Wwn { get; init; }
    public string? Hctl { get; init; }
    public string? ByPath { get; init; }
}
