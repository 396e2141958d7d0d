namespace Metal3.Contracts.Api;

public sealed record RootDeviceHintsRequest
{
    public string? DeviceName { get; init; }
    public string? Hctl { get; init; }
    public string? Model { get; init; }
    public string? Vendor { get; init; }
    public string? SerialNumber { get; init; }
    public string? Wwn { get; init; }
    public int? MinSizeGigabytes { get; init; }
    public bool? Rotational { get; init; }
}
