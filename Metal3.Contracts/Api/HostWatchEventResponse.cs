namespace Metal3.Contracts.Api;

/// <summary>
/// The <c>data:</c> of one event of <c>GET /api/v1/hosts?watch=true</c>: <c>ADDED</c>, <c>MODIFIED</c> or
/// <c>DELETED</c>, and the host as <c>GET /api/v1/hosts/{name}</c> shows it; a DELETED host the daemon never loaded
/// has only its name and resourceVersion. The daemon writes it by hand around the host's JSON, serialized once for every
/// watcher (Metal3.Server's <c>ServerSentEvents.Event</c>); a test there reads that text back as this record.
/// </summary>
public sealed record HostWatchEventResponse(string Type, HostResponse Object);
