namespace Metal3.Contracts.Api;

/// <summary>
/// A page of hosts, and the change feed's id it reflects: <c>GET /hosts?watch=true&amp;resourceVersion=</c> that id
/// streams every change after it.
/// </summary>
public sealed record HostListResponse(IReadOnlyList<HostResponse> Items, string? Continue, string ResourceVersion);
