namespace Metal3.Contracts.Api;

public sealed record ClaimEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? Host);
