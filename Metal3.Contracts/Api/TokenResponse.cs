namespace Metal3.Contracts.Api;

/// <summary>
/// A token as the API shows it. <see cref="Token"/> (the secret) is set only in the answer that created it.
/// <see cref="LastUsedAt"/> is coarse: it is recorded at most about once a minute.
/// </summary>
public sealed record TokenResponse(
    string Name,
    string Role,
    DateTimeOffset CreatedAt,
    string? Token,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? LastUsedAt = null);
