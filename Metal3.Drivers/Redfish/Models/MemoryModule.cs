using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A Memory member (a DIMM); only used when MemorySummary is missing.</summary>
internal sealed record MemoryModule(long? CapacityMiB, string? State)
{
    public static MemoryModule From(JsonElement e) => new(e.Long("CapacityMiB"), e.Obj("Status")?.Str("State"));

    public bool IsPresent => !string.Equals(State, "Absent", StringComparison.OrdinalIgnoreCase);
}
