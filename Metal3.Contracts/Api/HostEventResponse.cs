namespace Metal3.Contracts.Api;

public sealed record HostEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? FromState,
    string? ToState);
