using System.Text.Json;
using Metal3.Contracts.Agent;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Agent;

/// <summary>
/// The agent_sessions rows. The reconciler writes commands and reads reports; the agent API issues tokens, claims
/// commands and writes reports. Each write is one conditional UPDATE keyed by the command ID, so a late report for an
/// older command changes nothing.
/// </summary>
public sealed class AgentSessionStore(Metal3DbContext db, SqliteWriteGate writes, TimeProvider time)
{
    internal static JsonSerializerOptions Json => AgentJsonContext.Default.Options;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// A new token for the host, unless its agent session is alive: a token that was issued or heartbeated within
    /// <paramref name="liveFor"/>. Null then: one boot of the ramdisk holds the host, and anyone else naming its MAC (MACs
    /// are in every DHCP packet) gets nothing. A rebooted ramdisk gets its token once the daemon's power action ended the
    /// old one, or once the old one has been silent for <paramref name="liveFor"/>. A command the previous agent was
    /// running is handed out again.
    /// </summary>
    public async Task<string?> TryIssueTokenAsync(Guid hostId, TimeSpan liveFor, CancellationToken ct)
    {
        string token = AgentTokens.New();
        string hash = AgentTokens.Sha256Hex(token);
        var now = Now;
        var silentSince = now - liveFor;
        bool issued = await writes.WriteAsync(async () =>
        {
            // One conditional UPDATE, so that of two lookups racing for a silent session only one gets a token.
            int updated = await db.AgentSessions
                .Where(s => s.HostId == hostId
                    && (s.TokenSha256 == null || s.LastHeartbeatAt == null || s.LastHeartbeatAt < silentSince))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.TokenSha256, hash)
                    .SetProperty(s => s.TokenIssuedAt, now)
                    .SetProperty(s => s.LastHeartbeatAt, now)
                    .SetProperty(s => s.UpdatedAt, now)
                    .SetProperty(s => s.CommandState, s => s.CommandState == CommandStates.Running ? CommandStates.Pending : s.CommandState), ct);
            if (updated == 1)
            {
                return true;
            }
            if (await db.AgentSessions.AnyAsync(s => s.HostId == hostId, ct))
            {
                return false;
            }
            db.AgentSessions.Add(new AgentSessionRecord
            {
                HostId = hostId, TokenSha256 = hash, TokenIssuedAt = now, LastHeartbeatAt = now, UpdatedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another lookup (or the reconciler's first command) added the row first: that lookup holds the host.
                return false;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }, ct);
        return issued ? token : null;
    }

    /// <summary>
    /// The daemon changed the host's power: the ramdisk that held the token is gone, so the token ends for good (its hash
    /// is dropped; no later lookup can bring it back), and a command it was running waits for the next boot's agent. A
    /// command the reconciler set for that next boot stays.
    /// </summary>
    public Task<int> EndTokenAsync(Guid hostId, CancellationToken ct)
    {
        var now = Now;
        return writes.WriteAsync(() => db.AgentSessions
            .Where(s => s.HostId == hostId && (s.TokenSha256 != null || s.CommandState == CommandStates.Running))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.TokenSha256, (string?)null)
                .SetProperty(s => s.CommandState, s => s.CommandState == CommandStates.Running ? CommandStates.Pending : s.CommandState)
                .SetProperty(s => s.UpdatedAt, now), ct), ct);
    }

    /// <summary>
    /// The host left the states that expect an agent: the token ends for good, and so does the command with its arguments
    /// (a deploy's carry the user data), so that nothing of this session is handed out if the host comes back.
    /// </summary>
    public Task<int> EndSessionAsync(Guid hostId, CancellationToken ct)
    {
        var now = Now;
        return writes.WriteAsync(() => db.AgentSessions
            .Where(s => s.HostId == hostId)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.TokenSha256, (string?)null)
                .SetProperty(s => s.CommandKind, (string?)null)
                .SetProperty(s => s.CommandJson, (string?)null)
                .SetProperty(s => s.CommandState, (string?)null)
                .SetProperty(s => s.BytesWritten, (long?)null)
                .SetProperty(s => s.BytesTotal, (long?)null)
                .SetProperty(s => s.ResultJson, (string?)null)
                .SetProperty(s => s.UpdatedAt, now), ct), ct);
    }

    public async Task<AgentCaller?> CallerAsync(string token, CancellationToken ct)
    {
        string hash = AgentTokens.Sha256Hex(token);
        return await (from s in db.AgentSessions
                      join h in db.Hosts on s.HostId equals h.Id
                      where s.TokenSha256 == hash
                      select new AgentCaller(h.Id, h.Name, h.State)).AsNoTracking().FirstOrDefaultAsync(ct);
    }

    /// <summary>Records the heartbeat; returns the pending command, now running, if there is one.</summary>
    public async Task<AgentCommand?> HeartbeatAsync(Guid hostId, AgentHeartbeat beat, CancellationToken ct)
    {
        var now = Now;
        var session = await db.AgentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.HostId == hostId, ct);
        if (session is null)
        {
            return null;
        }
        long id = session.CommandId;
        if (session.CommandState == CommandStates.Pending && session.CommandKind is { } kind)
        {
            int claimed = await writes.WriteAsync(() => db.AgentSessions
                .Where(s => s.HostId == hostId && s.CommandId == id && s.CommandState == CommandStates.Pending)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(s => s.CommandState, CommandStates.Running)
                    .SetProperty(s => s.BytesWritten, (long?)null)
                    .SetProperty(s => s.BytesTotal, (long?)null)
                    .SetProperty(s => s.LastHeartbeatAt, now)
                    .SetProperty(s => s.UpdatedAt, now), ct), ct);
            if (claimed == 1)
            {
                var deploy = session.CommandJson is { } json ? JsonSerializer.Deserialize<DeployArguments>(json, Json) : null;
                return new AgentCommand(id, kind, deploy);
            }
        }
        await writes.WriteAsync(() => beat.CommandId == id && session.CommandState == CommandStates.Running
            ? db.AgentSessions.Where(s => s.HostId == hostId && s.CommandId == id).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.BytesWritten, beat.BytesWritten)
                .SetProperty(s => s.BytesTotal, beat.BytesTotal)
                .SetProperty(s => s.LastHeartbeatAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct)
            : db.AgentSessions.Where(s => s.HostId == hostId).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.LastHeartbeatAt, now), ct), ct);
        return null;
    }

    /// <summary>False when <paramref name="commandId"/> is not the command the host is running (stale or unknown).</summary>
    public async Task<bool> CompleteAsync(Guid hostId, long commandId, AgentCommandResult result, CancellationToken ct)
    {
        var now = Now;
        string state = result.Succeeded ? CommandStates.Succeeded : CommandStates.Failed;
        string json = JsonSerializer.Serialize(result, Json);
        int done = await writes.WriteAsync(() => db.AgentSessions
            .Where(s => s.HostId == hostId && s.CommandId == commandId
                && (s.CommandState == CommandStates.Running || s.CommandState == CommandStates.Pending))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.CommandState, state)
                .SetProperty(s => s.ResultJson, json)
                .SetProperty(s => s.LastHeartbeatAt, now)
                .SetProperty(s => s.UpdatedAt, now), ct), ct);
        return done == 1;
    }

    /// <summary>Replaces whatever the host had to do with a new pending command.</summary>
    public async Task<long> SetCommandAsync(Guid hostId, string kind, DeployArguments? deploy, CancellationToken ct)
    {
        var now = Now;
        string? json = deploy is null ? null : JsonSerializer.Serialize(deploy, Json);
        return await writes.WriteAsync(async () =>
        {
            var session = await db.AgentSessions.FirstOrDefaultAsync(s => s.HostId == hostId, ct);
            if (session is null)
            {
                session = new AgentSessionRecord { HostId = hostId };
                db.AgentSessions.Add(session);
            }
            session.CommandId++;
            session.CommandKind = kind;
            session.CommandJson = json;
            session.CommandState = CommandStates.Pending;
            session.BytesWritten = null;
            session.BytesTotal = null;
            session.ResultJson = null;
            session.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            return session.CommandId;
        }, ct);
    }

    /// <summary>
    /// A host enrolled from a discovered machine whose agent is running and waiting: a session with no token yet and no
    /// command, last heard from when the machine last reported, so that the host's first command goes to that agent
    /// instead of rebooting the machine (<see cref="AgentWaitingAsync"/>). The agent still needs a lookup for its token.
    /// </summary>
    public async Task MarkAgentWaitingAsync(Guid hostId, DateTimeOffset lastSeen, CancellationToken ct)
    {
        var now = Now;
        await writes.WriteAsync(async () =>
        {
            db.AgentSessions.Add(new AgentSessionRecord { HostId = hostId, LastHeartbeatAt = lastSeen.UtcDateTime, UpdatedAt = now });
            try
            {
                return await db.SaveChangesAsync(ct);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }, ct);
    }

    /// <summary>
    /// Whether an agent is running on the host and has never had a command: a session heard from within
    /// <paramref name="liveFor"/> (a discovered machine's last report, or heartbeats since its lookup) with no command yet.
    /// Every host's first command otherwise comes with a reboot into the agent, so no other session looks like this.
    /// </summary>
    public Task<bool> AgentWaitingAsync(Guid hostId, TimeSpan liveFor, CancellationToken ct)
    {
        var since = Now - liveFor;
        return db.AgentSessions.AsNoTracking()
            .AnyAsync(s => s.HostId == hostId && s.CommandId == 0 && s.LastHeartbeatAt != null && s.LastHeartbeatAt >= since, ct);
    }

    public Task<AgentSessionRecord?> ReadAsync(Guid hostId, CancellationToken ct) =>
        db.AgentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.HostId == hostId, ct);
}
