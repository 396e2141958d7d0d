using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A Manager (the BMC itself): only where its virtual media lives.</summary>
internal sealed record Manager(string? Id, string? Path, string? VirtualMediaPath, string? FirmwareVersion)
{
    public static Manager From(JsonElement e) =>
        new(e.Str("Id"), e.Str("@odata.id"), e.Link("VirtualMedia"), e.Str("FirmwareVersion"));
}
