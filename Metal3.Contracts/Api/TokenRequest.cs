namespace Metal3.Contracts.Api;

/// <summary>A new API token: its unique name (the principal events name), role, and optionally when it stops working.</summary>
public sealed record TokenRequest(string? Name, string? Role, DateTimeOffset? ExpiresAt = null);
