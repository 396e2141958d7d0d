namespace Metal3.Contracts.Api;

public sealed record TokenRequest(string? Name, string? Role);
