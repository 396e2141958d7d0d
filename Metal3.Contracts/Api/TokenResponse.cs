namespace Metal3.Contracts.Api;

public sealed record TokenResponse(string Name, string Role, DateTimeOffset CreatedAt, string? Token);
