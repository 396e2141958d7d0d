using Metal3.Core.Hosts;

namespace Metal3.Contracts.Api;

/// <summary>A host as the API shows it: the spec without secrets, plus resourceVersion, createdAt and status.</summary>
public sealed record HostResponse
{
    public required string Name { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public string? BootMacAddress { get; init; }
    public required BmcResponse Bmc { get; init; }
    public bool Online { get; init; }
    public BootMode BootMode { get; init; }
    public ImageSpec? Image { get; init; }
    public RootDeviceHints? RootDeviceHints { get; init; }
    /// <summary>Only for admins: a reader sees <see cref="UserDataSet"/> alone (cloud-init data often holds secrets).</summary>
    public string? UserData { get; init; }
    public bool UserDataSet { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public AutomatedCleaningMode AutomatedCleaningMode { get; init; }
    public bool ExternallyProvisioned { get; init; }
    public string? ConsumerRef { get; init; }
    public required string ResourceVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeletionRequestedAt { get; init; }
    public required HostStatus Status { get; init; }
}
