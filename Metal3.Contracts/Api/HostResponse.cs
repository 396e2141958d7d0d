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
    public string? UserData { get; init; }
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

public sealed record BmcResponse(string Address, string? Username, bool CredentialsSet, bool DisableCertificateVerification);

public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? Continue);

/// <summary>
/// A page of hosts, and the change feed's id it reflects: <c>GET /hosts?watch=true&amp;resourceVersion=</c> that id
/// streams every change after it.
/// </summary>
public sealed record HostListResponse(IReadOnlyList<HostResponse> Items, string? Continue, string ResourceVersion);

public sealed record HostEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? FromState,
    string? ToState);

public sealed record TokenRequest(string? Name, string? Role);

public sealed record TokenResponse(string Name, string Role, DateTimeOffset CreatedAt, string? Token);
