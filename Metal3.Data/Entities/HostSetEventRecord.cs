namespace Metal3.Data.Entities;

/// <summary>A host set's history: created, scaled, template changed, claims created and deleted, deleted.</summary>
public sealed class HostSetEventRecord
{
    public long Id { get; set; }
    public Guid HostSetId { get; set; }
    public required string HostSetName { get; set; }
    public DateTime Time { get; set; }
    /// <summary>Normal or Warning (<see cref="HostEventTypes"/>).</summary>
    public required string Type { get; set; }
    public required string Reason { get; set; }
    public required string Message { get; set; }
    public string? ClaimName { get; set; }
    /// <summary>The daemon that wrote it (reconciler), or null for API requests.</summary>
    public string? Actor { get; set; }
}
