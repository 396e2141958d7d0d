using System.Text.Json;
using Metal3.Contracts.Agent;
using Metal3.Core.Provisioning;

namespace Metal3.Server.Agent;

/// <summary>
/// The deploy agent that runs on the host in the ramdisk. Start writes the command to the host's agent session (the
/// agent fetches it with its next heartbeat); Poll reads what the agent reported. Neither waits for the host: a host
/// that never fetches its command, or stops heartbeating, fails the command after the configured timeouts.
/// </summary>
public sealed class RamdiskDeployAgent(IServiceScopeFactory scopes, AgentOptions options) : IDeployAgent
{
    public async Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct)
    {
        if (KindOf(operation) is not { } kind)
        {
            return new AgentProgress.Unavailable($"the ramdisk agent has no command for {operation.Kind}");
        }
        var deploy = operation.Kind == OperationKind.Deploy && operation.Image is { } image
            ? new DeployArguments(image, host.Spec.RootDeviceHints, ConfigDriveOf(host))
            : null;
        await using var scope = scopes.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<AgentSessionStore>();
        // Asked before the command is set, which makes the session one that has had a command.
        bool up = await sessions.AgentWaitingAsync(host.Id, options.HeartbeatTimeout, ct);
        await sessions.SetCommandAsync(host.Id, kind, deploy, ct);
        return new AgentProgress.Running { AgentAlreadyUp = up };
    }

    public async Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var session = await scope.ServiceProvider.GetRequiredService<AgentSessionStore>().ReadAsync(host.Id, ct);
        if (session is null || session.CommandKind != KindOf(operation))
        {
            return new AgentProgress.Failed($"the agent command for {operation.Kind} was lost; it will be issued again");
        }
        switch (session.CommandState)
        {
            case CommandStates.Pending:
                return host.Now - operation.StartedAt > options.BootTimeout
                    ? new AgentProgress.Failed($"no deploy agent fetched its command within {options.BootTimeout} " +
                        "(did the host network-boot the agent ramdisk, and can it reach the provisioning listener?)")
                    : new AgentProgress.Running();
            case CommandStates.Running:
                var last = session.LastHeartbeatAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : operation.StartedAt;
                return host.Now - last > options.HeartbeatTimeout
                    ? new AgentProgress.Failed($"the deploy agent stopped heartbeating (last at {last:u})")
                    : new AgentProgress.Running(session.BytesWritten, session.BytesTotal);
            case CommandStates.Succeeded:
                return new AgentProgress.Succeeded(ResultOf(session.ResultJson)?.Hardware);
            default:
                return new AgentProgress.Failed(ResultOf(session.ResultJson)?.Message ?? "the deploy agent reported a failure without a message");
        }
    }

    private static string? KindOf(HostOperation operation) => operation.Kind switch
    {
        OperationKind.Inspect => AgentCommandKinds.Inspect,
        OperationKind.Clean => AgentCommandKinds.Erase,
        OperationKind.Deploy => AgentCommandKinds.Deploy,
        _ => null,
    };

    private static ConfigDriveContent? ConfigDriveOf(HostSnapshot host) =>
        host.Spec is { UserData: null, NetworkData: null, MetaData: null }
            ? null
            : new ConfigDriveContent(host.Name, host.Spec.UserData, host.Spec.NetworkData, host.Spec.MetaData);

    private static AgentCommandResult? ResultOf(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<AgentCommandResult>(json, AgentSessionStore.Json);
}
