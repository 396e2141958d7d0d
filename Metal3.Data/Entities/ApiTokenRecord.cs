namespace Metal3.Data.Entities;

/// <summary>An API bearer token. Only its SHA-256 is stored: the token itself is shown once, when it is created.</summary>
public sealed class ApiTokenRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
}
