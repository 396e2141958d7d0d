using Metal3.Core.Bmc;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// What a step may use: the host (to read: what it changes goes in its <see cref="StepOutcome"/>), its BMC, its deploy
/// agent, how it boots into that agent, and the deadline for BMC calls.
/// </summary>
public sealed record StepContext(HostSnapshot Host, BmcConnection Bmc, IDeployAgent Agent, CancellationToken Cancellation)
{
    /// <summary>How the host boots into the agent: network boot unless the job says otherwise.</summary>
    public AgentMedia Media { get; init; } = AgentMedia.Network;

    /// <summary>One BMC call never holds a host for long (the host lease is longer than this).</summary>
    public static readonly TimeSpan BmcCallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How often work in progress (power changes, the agent) is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Stable states are looked at again after this even if nothing changed (a safety net, not a poll).</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromMinutes(10);

    public DateTimeOffset Deadline => Host.Now + BmcCallTimeout;

    /// <summary>This state's work failed: stay, with the error type the state's description names.</summary>
    public StepResult.Failed Fail(string message) => new(StateDescriptions.All[Host.State].FailsWith, message);
}
