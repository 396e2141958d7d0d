using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>
/// One virtual media device. AMI omits <c>MediaTypes</c> and reports <c>Image: "None"</c> when empty; Lenovo XCC
/// has no actions at all (it mounts by PATCH), so both the actions and the writable properties are kept.
/// </summary>
internal sealed record VirtualMedia(
    string? Id,
    string? Path,
    string? Name,
    string? ETag,
    IReadOnlyList<string> MediaTypes,
    string? Image,
    bool? Inserted,
    RedfishAction? Insert,
    RedfishAction? Eject,
    bool HasTransferProtocolType)
{
    public static VirtualMedia From(JsonElement e) => new(
        e.Str("Id"),
        e.Str("@odata.id"),
        e.Str("Name"),
        e.Str("@odata.etag"),
        e.Strings("MediaTypes"),
        e.Str("Image"),
        e.Bool("Inserted"),
        RedfishAction.From(e, "#VirtualMedia.InsertMedia"),
        RedfishAction.From(e, "#VirtualMedia.EjectMedia"),
        e.Has("TransferProtocolType") || e.Has("TransferProtocolType@Redfish.AllowableValues"));

    /// <summary>Whether an image is mounted, reading AMI's "None" and empty strings as "no image".</summary>
    public bool HasImage =>
        Inserted ?? (!string.IsNullOrWhiteSpace(Image) && !string.Equals(Image, "None", StringComparison.OrdinalIgnoreCase));

    /// <summary>A CD/DVD device, by its declared media types or, when a BMC declares none, by its id or name.</summary>
    public bool IsOptical =>
        MediaTypes.Count > 0
            ? MediaTypes.Any(t => t.Equals("CD", StringComparison.OrdinalIgnoreCase) || t.Equals("DVD", StringComparison.OrdinalIgnoreCase))
            : $"{Id} {Name}".Contains("CD", StringComparison.OrdinalIgnoreCase);
}
