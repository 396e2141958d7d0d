namespace Metal3.Data.Entities;

/// <summary>A claim's history: created, bound, provisioned, host lost, releasing, released. Outlives the claim, as host events do.</summary>
public sealed class ClaimEventRecord
{
    public long Id { get; set; }
    public Guid ClaimId { get; set; }
    public required string ClaimName { get; set; }
    public DateTime Time { get; set; }
    /// <summary>Normal or Warning (<see cref="HostEventTypes"/>).</summary>
    public required string Type { get; set; }
    public required string Reason { get; set; }
    public required string Message { get; set; }
    public string? HostName { get; set; }
    /// <summary>The daemon that wrote it (reconciler), or null for API requests.</summary>
    public string? Actor { get; set; }
}
