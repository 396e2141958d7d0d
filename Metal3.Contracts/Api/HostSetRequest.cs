using System.Text.Json;

namespace Metal3.Contracts.Api;

/// <summary>
/// The body of POST /api/v1/hostsets (and the shape a PATCH merges into): how many claims, for which hosts, provisioned
/// with what. Name and template (with its image) are required. The read-only fields of a response are accepted and ignored.
/// </summary>
public sealed record HostSetRequest
{
    public string? Name { get; init; }
    public int? Replicas { get; init; }
    public string? LabelSelector { get; init; }
    public HardwareRequest? Hardware { get; init; }
    public HostSetTemplateRequest? Template { get; init; }

    // Read-only in responses; ignored on input.
    public string? ResourceVersion { get; init; }
    public JsonElement? CreatedAt { get; init; }
    public JsonElement? DeletionRequestedAt { get; init; }
    public JsonElement? Status { get; init; }
}
