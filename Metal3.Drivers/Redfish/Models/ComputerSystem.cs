using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>The parts of a ComputerSystem the driver uses; everything is optional because vendors omit freely.</summary>
internal sealed record ComputerSystem(
    string? Id,
    string? Path,
    string? ETag,
    string? PowerState,
    string? Manufacturer,
    string? Model,
    string? SerialNumber,
    string? BiosVersion,
    long? ProcessorCount,
    string? ProcessorModel,
    double? MemoryGiB,
    BootSettings? Boot,
    RedfishAction? Reset,
    string? ProcessorsPath,
    string? MemoryPath,
    string? StoragePath,
    string? SimpleStoragePath,
    string? EthernetInterfacesPath,
    string? VirtualMediaPath,
    IReadOnlyList<string> ManagedBy)
{
    public static ComputerSystem From(JsonElement e) => new(
        e.Str("Id"),
        e.Str("@odata.id"),
        e.Str("@odata.etag"),
        e.Str("PowerState"),
        e.Str("Manufacturer"),
        e.Str("Model"),
        e.Str("SerialNumber"),
        e.Str("BiosVersion"),
        e.Obj("ProcessorSummary")?.Long("Count"),
        e.Obj("ProcessorSummary")?.Str("Model"),
        e.Obj("MemorySummary")?.Num("TotalSystemMemoryGiB"),
        e.Obj("Boot") is { } boot ? BootSettings.From(boot) : null,
        RedfishAction.From(e, "#ComputerSystem.Reset"),
        e.Link("Processors"),
        e.Link("Memory"),
        e.Link("Storage"),
        e.Link("SimpleStorage"),
        e.Link("EthernetInterfaces"),
        e.Link("VirtualMedia"),
        e.Obj("Links")?.Links("ManagedBy") ?? []);
}
