namespace Metal3.Contracts.Api;

/// <summary>What each claim of a host set provisions, and the labels its claims carry.</summary>
public sealed record HostSetTemplateRequest
{
    public ImageRequest? Image { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}
