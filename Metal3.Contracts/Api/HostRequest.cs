using System.Text.Json;

namespace Metal3.Contracts.Api;

/// <summary>
/// The body of POST/PUT (and the result of a merge patch): the spec fields at the top level. Enumerations are strings
/// here so that a bad value is reported with every other bad field, not as a JSON error on its own.
/// The read-only fields of a response (<c>resourceVersion</c>, <c>createdAt</c>, <c>status</c>, …) are accepted and
/// ignored, so a client may GET, edit and PUT back a host.
/// </summary>
public sealed record HostRequest
{
    public string? Name { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public bool? Online { get; init; }
    public string? BootMacAddress { get; init; }
    public string? BootMode { get; init; }
    public BmcRequest? Bmc { get; init; }
    public ImageRequest? Image { get; init; }
    public RootDeviceHintsRequest? RootDeviceHints { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public string? AutomatedCleaningMode { get; init; }
    public bool? ExternallyProvisioned { get; init; }
    public string? ConsumerRef { get; init; }

    // Read-only in responses; ignored on input.
    public string? ResourceVersion { get; init; }
    public JsonElement? CreatedAt { get; init; }
    public JsonElement? DeletionRequestedAt { get; init; }
    public JsonElement? UserDataSet { get; init; }
    public JsonElement? Status { get; init; }
}
