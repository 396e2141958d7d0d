using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A Storage subsystem: its drives are links to Drive resources.</summary>
internal sealed record StorageSubsystem(string? Id, IReadOnlyList<string> Drives)
{
    public static StorageSubsystem From(JsonElement e) => new(e.Str("Id"), e.Links("Drives"));
}

/// <summary>A Drive. <c>MediaType</c> (HDD/SSD/SMR) says whether it spins.</summary>
internal sealed record Drive(
    string? Id,
    string? Name,
    long? CapacityBytes,
    string? MediaType,
    string? Model,
    string? Manufacturer,
    string? SerialNumber,
    string? Wwn,
    string? State)
{
    public static Drive From(JsonElement e) => new(
        e.Str("Id"),
        e.Str("Name"),
        e.Long("CapacityBytes"),
        e.Str("MediaType"),
        e.Str("Model"),
        e.Str("Manufacturer"),
        e.Str("SerialNumber"),
        e.Arr("Identifiers")
            .Where(i => string.Equals(i.Str("DurableNameFormat"), "NAA", StringComparison.OrdinalIgnoreCase))
            .Select(i => i.Str("DurableName")).FirstOrDefault(),
        e.Obj("Status")?.Str("State"));

    /// <summary>
    /// An installed, working drive. iLO lists failed bays (<c>UnavailableOffline</c>, no name, no capacity), which
    /// can never hold a root file system, so they are left out with the empty ones.
    /// </summary>
    public bool IsPresent => State is not ("Absent" or "UnavailableOffline");
}

/// <summary>SimpleStorage, the pre-Storage schema older BMCs (and the DMTF mockup) still serve.</summary>
internal sealed record SimpleStorage(string? Id, IReadOnlyList<SimpleStorageDevice> Devices)
{
    public static SimpleStorage From(JsonElement e) =>
        new(e.Str("Id"), e.Arr("Devices").Select(SimpleStorageDevice.From).ToList());
}

internal sealed record SimpleStorageDevice(string? Name, string? Model, string? Manufacturer, long? CapacityBytes, string? State)
{
    public static SimpleStorageDevice From(JsonElement e) => new(
        e.Str("Name"), e.Str("Model"), e.Str("Manufacturer"), e.Long("CapacityBytes"), e.Obj("Status")?.Str("State"));

    public bool IsPresent => !string.Equals(State, "Absent", StringComparison.OrdinalIgnoreCase);
}
