using Metal3.Core.Claims;
using Metal3.Core.Hosts;

namespace Metal3.Contracts.Api;

/// <summary>A claim as the API shows it: what it asked for, plus resourceVersion, createdAt and status.</summary>
public sealed record ClaimResponse
{
    public required string Name { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required string LabelSelector { get; init; }
    public HardwareMinimums? Hardware { get; init; }
    public ImageSpec? Image { get; init; }
    /// <summary>Only for admins: a reader sees <see cref="UserDataSet"/> alone (cloud-init data often holds secrets).</summary>
    public string? UserData { get; init; }
    public bool UserDataSet { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public required string ResourceVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletionRequestedAt { get; init; }
    public required ClaimStatusResponse Status { get; init; }

    /// <summary>The host set that made this claim and keeps it, if one did.</summary>
    public string? OwnerSet { get; init; }

    /// <summary>The hash of the host set template the claim was made from (null for a claim made by hand).</summary>
    public string? TemplateHash { get; init; }
}
