using Metal3.Core.Hosts;

namespace Metal3.Contracts.Api;

/// <summary>A host set's template as the API shows it.</summary>
public sealed record HostSetTemplateResponse
{
    public required ImageSpec Image { get; init; }

    /// <summary>Only for admins: a reader sees <see cref="UserDataSet"/> alone (cloud-init data often holds secrets).</summary>
    public string? UserData { get; init; }
    public bool UserDataSet { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
}
