namespace Metal3.Data.Entities;

/// <summary>
/// An API bearer token. Only its SHA-256 is stored: the token itself is shown once, when it is created. Its name is
/// unique and is the principal that events and the audit log name. A revoked token keeps its row (a tombstone), so
/// that a token file or setting read again at the next start is recognised and not let in again.
/// </summary>
public sealed class ApiTokenRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    /// <summary>Coarse: written at most about once a minute per token, never on every request.</summary>
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
