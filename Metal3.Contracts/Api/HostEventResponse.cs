namespace Metal3.Contracts.Api;

/// <summary>
/// One event of a host's history. <see cref="Actor"/> is who caused it: <c>token:&lt;name&gt;</c> for an API write, the
/// daemon (host:pid:id) for the reconciler's work, null for events from before actors were recorded.
/// </summary>
public sealed record HostEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? FromState,
    string? ToState,
    string? Actor = null);
