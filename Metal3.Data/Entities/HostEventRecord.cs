namespace Metal3.Data.Entities;

/// <summary>
/// A host's history: state transitions, errors, operator actions. Kept by host id (not a foreign key) so that
/// removing a host is one cheap delete and its history outlives it for audit.
/// </summary>
public sealed class HostEventRecord
{
    public long Id { get; set; }
    public Guid HostId { get; set; }
    public required string HostName { get; set; }
    public DateTime Time { get; set; }
    /// <summary>Normal or Warning, as Kubernetes events.</summary>
    public required string Type { get; set; }
    /// <summary>A short CamelCase reason, e.g. Registered, StateChanged, RebootRequested.</summary>
    public required string Reason { get; set; }
    public required string Message { get; set; }
    public string? FromState { get; set; }
    public string? ToState { get; set; }
    /// <summary>Which daemon wrote the event (for reconciler events), or null for API requests.</summary>
    public string? Actor { get; set; }

    public static HostEventRecord For(HostRecord host, DateTime time, string reason, string message,
        string type = HostEventTypes.Normal) => new()
    {
        HostId = host.Id,
        HostName = host.Name,
        Time = time,
        Type = type,
        Reason = reason,
        Message = message,
    };
}
