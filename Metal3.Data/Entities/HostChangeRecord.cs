namespace Metal3.Data.Entities;

/// <summary>
/// The change feed behind the watch API: one row per host write (added, modified, deleted), in the same transaction as
/// the write. Its id orders changes across every daemon sharing the database, so a watcher of one daemon sees what
/// another wrote, and a watch can resume from the last id it saw.
/// </summary>
public sealed class HostChangeRecord
{
    public long Id { get; set; }
    public Guid HostId { get; set; }
    public required string HostName { get; set; }

    /// <summary>ADDED, MODIFIED or DELETED.</summary>
    public required string Type { get; set; }

    /// <summary>The host's resource version after the write.</summary>
    public long ResourceVersion { get; set; }

    public DateTime Time { get; set; }

    public static HostChangeRecord For(HostRecord host, string type, DateTime time) => new()
    {
        HostId = host.Id,
        HostName = host.Name,
        Type = type,
        ResourceVersion = host.ResourceVersion,
        Time = time,
    };
}
