namespace Metal3.Drivers.Tests.Redfish;

public sealed record ExpectedDrive(string Name, long SizeBytes, string? Model, string? Serial)
{
    public bool? Rotational { get; init; }
}
