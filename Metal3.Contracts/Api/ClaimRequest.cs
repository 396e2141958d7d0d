using System.Text.Json;

namespace Metal3.Contracts.Api;

/// <summary>
/// The body of POST /api/v1/claims: which host (label selector, hardware minimums) and, optionally, what to provision on
/// it. All but the name are optional. The read-only fields of a response are accepted and ignored.
/// </summary>
public sealed record ClaimRequest
{
    public string? Name { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public string? LabelSelector { get; init; }
    public HardwareRequest? Hardware { get; init; }
    public ImageRequest? Image { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }

    // Read-only in responses; ignored on input.
    public string? ResourceVersion { get; init; }
    public JsonElement? CreatedAt { get; init; }
    public JsonElement? DeletionRequestedAt { get; init; }
    public JsonElement? Status { get; init; }
    public JsonElement? OwnerSet { get; init; }
    public JsonElement? TemplateHash { get; init; }
}
