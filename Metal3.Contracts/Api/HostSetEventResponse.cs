namespace Metal3.Contracts.Api;

/// <summary>One event of a host set's history; <see cref="Actor"/> as for host events.</summary>
public sealed record HostSetEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? Claim,
    string? Actor = null);
