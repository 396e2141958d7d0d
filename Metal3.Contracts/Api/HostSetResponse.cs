using Metal3.Core.Claims;

namespace Metal3.Contracts.Api;

/// <summary>A host set as the API shows it: what it asks for, plus resourceVersion, createdAt and status.</summary>
public sealed record HostSetResponse
{
    public required string Name { get; init; }
    public int Replicas { get; init; }
    public required string LabelSelector { get; init; }
    public HardwareMinimums? Hardware { get; init; }
    public required HostSetTemplateResponse Template { get; init; }
    public required string ResourceVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletionRequestedAt { get; init; }
    public required HostSetStatusResponse Status { get; init; }
}
