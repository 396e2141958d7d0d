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

    /// <summary>A new token for the host (the previous one stops working); a command the old agent was running is handed out again.</summary>
    public async Task<string> IssueTokenAsync(Guid hostId, CancellationToken ct)
    {
        string token = AgentTokens.New();
        string hash = AgentTokens.Sha256Hex(token);
        var now = Now;
        await writes.WriteAsync(async () =>
        {
            int updated = await db.AgentSessions.Where(s => s.HostId == hostId).ExecuteUpdateAsync(u => u
                .SetProperty(s => s.TokenSha256, hash)
                .SetProperty(s => s.TokenIssuedAt, now)
                .SetProperty(s => s.LastHeartbeatAt, now)
                .SetProperty(s => s.UpdatedAt, now)
                .SetProperty(s => s.CommandState, s => s.CommandState == CommandStates.Running ? CommandStates.Pending : s.CommandState), ct);
            if (updated == 0)
            {
                db.AgentSessions.Add(new AgentSessionRecord { HostId = hostId, TokenSha256 = hash, TokenIssuedAt = now, UpdatedAt = now });
                await db.SaveChangesAsync(ct);
            }
            return updated;
        }, ct);
        return token;
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

    public Task<AgentSessionRecord?> ReadAsync(Guid hostId, CancellationToken ct) =>
        db.AgentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.HostId == hostId, ct);
}
