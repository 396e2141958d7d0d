using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

public enum OperationKind { Inspect, Clean, Deploy, SoftPowerOff }

/// <summary>
/// Work under way on a host, saved with it, so that a restarted daemon (or another one) goes on polling the same work
/// instead of starting it again.
/// </summary>
public sealed record HostOperation(OperationKind Kind, DateTimeOffset StartedAt, ImageSpec? Image = null);

/// <summary>What the deploy agent reports about the command it was given.</summary>
public abstract record AgentProgress
{
    private AgentProgress()
    {
    }

    public sealed record Running(long? BytesWritten = null, long? BytesTotal = null) : AgentProgress
    {
        /// <summary>
        /// Set by Start when an agent is already running on the host and has never had a command (a discovered machine
        /// just enrolled, still heartbeating): it picks the command up as it is, so the host is not rebooted into it.
        /// </summary>
        public bool AgentAlreadyUp { get; init; }
    }

    public sealed record Succeeded(HardwareDetails? Hardware = null) : AgentProgress;

    public sealed record Failed(string Message) : AgentProgress;

    /// <summary>The BMC could not boot the host into the agent: a power management error, whatever the state.</summary>
    public sealed record BootFailed(string Message) : AgentProgress;

    /// <summary>This host has no deploy agent to talk to (its driver has none, or none is built yet).</summary>
    public sealed record Unavailable(string Why) : AgentProgress;
}

/// <summary>
/// The in-band side of provisioning: inspect, clean (erase metadata) and deploy (write the image) on the host itself.
/// Start hands the agent its command (the state machine then boots the host into the agent through the BMC); neither
/// call waits for the host.
/// </summary>
public interface IDeployAgent
{
    Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct);

    Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct);
}

/// <summary>Chooses the deploy agent for a host (the simulated one for fake:// hosts).</summary>
public interface IDeployAgentFactory
{
    IDeployAgent For(BmcTarget target);
}

/// <summary>For hosts whose agent does not exist yet: every command is <see cref="AgentProgress.Unavailable"/>.</summary>
public sealed class NoDeployAgent(string why) : IDeployAgent
{
    public Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) =>
        Task.FromResult<AgentProgress>(new AgentProgress.Unavailable(why));

    public Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) =>
        Task.FromResult<AgentProgress>(new AgentProgress.Unavailable(why));
}
