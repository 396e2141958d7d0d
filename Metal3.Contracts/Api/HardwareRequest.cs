namespace Metal3.Contracts.Api;

/// <summary>A claim's hardware minimums, compared with what inspection found on each host.</summary>
public sealed record HardwareRequest
{
    public int? MinCpus { get; init; }
    public long? MinMemoryMiB { get; init; }
    public long? MinDiskGiB { get; init; }
}
