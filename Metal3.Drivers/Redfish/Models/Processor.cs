using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A Processor member; GPUs and accelerators share the collection, so the type matters.</summary>
internal sealed record Processor(
    string? ProcessorType,
    string? Model,
    string? InstructionSet,
    string? ProcessorArchitecture,
    double? MaxSpeedMHz,
    long? TotalCores,
    long? TotalThreads,
    string? State)
{
    public static Processor From(JsonElement e) => new(
        e.Str("ProcessorType"),
        e.Str("Model"),
        e.Str("InstructionSet"),
        e.Str("ProcessorArchitecture"),
        e.Num("MaxSpeedMHz"),
        e.Long("TotalCores"),
        e.Long("TotalThreads"),
        e.Obj("Status")?.Str("State"));

    /// <summary>A populated CPU socket. A missing type is taken as CPU because older services (Redfish 1.1) omit it.</summary>
    public bool IsPresentCpu =>
        (ProcessorType is null || ProcessorType.Equals("CPU", StringComparison.OrdinalIgnoreCase)) &&
        !string.Equals(State, "Absent", StringComparison.OrdinalIgnoreCase);
}
