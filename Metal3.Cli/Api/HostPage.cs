using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>A page of hosts and the resource version it was read at (where a watch resumes).</summary>
public sealed record HostPage(IReadOnlyList<Received<HostResponse>> Items, string? ResourceVersion);
