using Metal3.Data;
using Metal3.Data.Entities;

namespace Metal3.Server.Agent;

/// <summary>
/// The agent's part of a host's boot timeline: its lookup (and any lookup refused while its session was alive), each
/// command it fetched and each result it sent, as events of the host. Heartbeats in between only move the progress (one
/// event per 10 s heartbeat would bury the timeline).
/// </summary>
public sealed class AgentTimeline(Metal3DbContext db, SqliteWriteGate writes, TimeProvider time)
{
    public const string LookedUp = "AgentLookedUp";

    /// <summary>A warning: a lookup while the host's agent session was alive, which names the caller's address.</summary>
    public const string LookupRefused = "AgentLookupRefused";
    public const string CommandFetched = "AgentCommandFetched";
    public const string CommandFinished = "AgentCommandFinished";

    public Task RecordAsync(Guid hostId, string hostName, string reason, string message, bool warning, CancellationToken ct)
    {
        db.HostEvents.Add(new HostEventRecord
        {
            HostId = hostId,
            HostName = hostName,
            Time = time.GetUtcNow().UtcDateTime,
            Type = warning ? HostEventTypes.Warning : HostEventTypes.Normal,
            Reason = reason,
            Message = message.Length > 4000 ? message[..4000] : message,
        });
        return writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
    }
}
