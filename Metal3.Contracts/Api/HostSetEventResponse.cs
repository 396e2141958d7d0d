namespace Metal3.Contracts.Api;

public sealed record HostSetEventResponse(
    long Id,
    DateTimeOffset Time,
    string Type,
    string Reason,
    string Message,
    string? Claim);
