namespace Metal3.Contracts.Api;

/// <summary>One event of a claim's history; <see cref="Actor"/> as for host events.</summary>
public sealed record ClaimEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? Host,
    string? Actor = null);
