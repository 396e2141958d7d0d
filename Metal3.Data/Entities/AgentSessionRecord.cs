namespace Metal3.Data.Entities;

/// <summary>
/// The deploy agent's side of a host: the token it was issued at lookup, the one command it has to run, and what it
/// last reported. One row per host (removed with it). The agent pulls; the reconciler only writes the command and
/// reads the report, so neither waits for the other.
/// </summary>
public sealed class AgentSessionRecord
{
    public Guid HostId { get; set; }

    /// <summary>SHA-256 (hex) of the agent token issued at lookup; the token itself is only ever sent to the agent.</summary>
    public string? TokenSha256 { get; set; }
    public DateTime? TokenIssuedAt { get; set; }

    /// <summary>Increases with every new command, so a late result for an older command is recognised and ignored.</summary>
    public long CommandId { get; set; }

    /// <summary>inspect, erase, deploy, reboot or poweroff; null when there is nothing to do.</summary>
    public string? CommandKind { get; set; }

    /// <summary>The command's arguments as JSON (image, root device hints, config drive…).</summary>
    public string? CommandJson { get; set; }

    /// <summary>pending (not yet fetched), running, succeeded or failed.</summary>
    public string? CommandState { get; set; }

    public long? BytesWritten { get; set; }
    public long? BytesTotal { get; set; }

    /// <summary>The command's result as JSON: the inventory for inspect, the error message for a failure.</summary>
    public string? ResultJson { get; set; }

    public DateTime? LastHeartbeatAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
