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

/// <summary>
/// <c>ComputerSystem.Boot</c>. <see cref="HasMode"/> says whether the BMC shows a mode at all: iLO 5 on the XL675d
/// has none, so a read-back there cannot confirm one.
/// </summary>
internal sealed record BootSettings(
    string? Target,
    string? Enabled,
    string? Mode,
    bool HasMode,
    IReadOnlyList<string>? AllowedTargets,
    IReadOnlyList<string>? AllowedEnabled,
    IReadOnlyList<string>? AllowedModes)
{
    public static BootSettings From(JsonElement b) => new(
        b.Str("BootSourceOverrideTarget"),
        b.Str("BootSourceOverrideEnabled"),
        b.Str("BootSourceOverrideMode"),
        b.Has("BootSourceOverrideMode"),
        AllowedOrNull(b, "BootSourceOverrideTarget@Redfish.AllowableValues"),
        AllowedOrNull(b, "BootSourceOverrideEnabled@Redfish.AllowableValues"),
        AllowedOrNull(b, "BootSourceOverrideMode@Redfish.AllowableValues"));

    // An absent list means "not declared" (anything may work); an empty list is treated the same, since no BMC
    // really allows nothing.
    private static IReadOnlyList<string>? AllowedOrNull(JsonElement b, string name) =>
        b.Strings(name) is { Count: > 0 } list ? list : null;
}
