using Metal3.Core.Hosts;

namespace Metal3.Core.Claims;

/// <summary>What a claimed host must have at least, as its inspection found it. A host not inspected meets no minimum.</summary>
public sealed record HardwareMinimums
{
    public int? MinCpus { get; init; }
    public long? MinMemoryMiB { get; init; }

    /// <summary>The largest disk, in GiB (2^30 bytes): the image goes to one disk.</summary>
    public long? MinDiskGiB { get; init; }

    public bool IsMetBy(HardwareDetails? hardware)
    {
        if (MinCpus is { } cpus && (hardware?.Cpu?.Count ?? 0) < cpus)
        {
            return false;
        }
        if (MinMemoryMiB is { } memory && (hardware?.RamMebibytes ?? 0) < memory)
        {
            return false;
        }
        if (MinDiskGiB is { } disk)
        {
            long largest = hardware?.Storage.Select(s => s.SizeBytes).DefaultIfEmpty(0).Max() ?? 0;
            return largest >= disk * (1L << 30);
        }
        return true;
    }
}
