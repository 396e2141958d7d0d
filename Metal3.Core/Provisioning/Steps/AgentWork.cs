using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// Starts an agent command once, boots the host into the agent, and polls the command until it ends; shared by
/// inspect, clean and deploy. Agent progress becomes a step result here and nowhere else (<see cref="Unfinished"/>).
/// </summary>
internal static class AgentWork
{
    /// <summary>
    /// One step of <paramref name="kind"/>, starting it when nothing of that kind is under way;
    /// <see cref="AgentProgress.BootFailed"/> when the BMC could not boot the host into the agent. A command that has
    /// not succeeded is the state's failure as <paramref name="failurePrefix"/> words it.
    /// </summary>
    public static async Task<AgentRun> RunAsync(StepContext c, OperationKind kind, ImageSpec? image = null, string failurePrefix = "")
    {
        var host = c.Host;
        var changes = HostChanges.None;
        AgentProgress progress;
        if (host.Operation is { } op && op.Kind == kind && op.Image == image)
        {
            progress = await c.Agent.PollAsync(host, op, c.Cancellation);
        }
        else
        {
            var started = new HostOperation(kind, host.Now, image);
            progress = await c.Agent.StartAsync(host, started, c.Cancellation);
            if (progress is AgentProgress.Running { AgentAlreadyUp: false })
            {
                progress = await BootIntoAgentAsync(c) ?? progress;
            }
            if (progress is AgentProgress.Running running)
            {
                string how = running.AgentAlreadyUp ? "handed to the agent already running on the host, no reboot" : "host booting into the agent";
                changes = new HostChanges { Operation = new(started) }
                    .Record("AgentCommandStarted", $"{kind.ToString().ToLowerInvariant()} started; {how}");
            }
        }
        if (progress is not AgentProgress.Running)
        {
            // Ended, refused, or never booted: nothing is under way any more, and the next step starts afresh.
            changes = changes with { Operation = new(null) };
        }
        return new AgentRun(progress, Unfinished(c, progress, failurePrefix), changes);
    }

    /// <summary>
    /// The result for an agent command that has not succeeded: still running; the host could not be booted into the agent
    /// (a power management error, whatever the state); or the command failed (the state's own error). Null once it
    /// succeeded, or when there is no agent.
    /// </summary>
    private static StepResult? Unfinished(StepContext c, AgentProgress progress, string failurePrefix) => progress switch
    {
        AgentProgress.Running => new StepResult.Wait(StepContext.PollInterval),
        AgentProgress.BootFailed boot => new StepResult.Failed(ErrorType.PowerManagement, boot.Message),
        AgentProgress.Failed failed => c.Fail(failurePrefix + failed.Message),
        _ => null,
    };

    /// <summary>Network boot once, then a reboot (or power on): the agent ramdisk comes up and picks up its command.</summary>
    private static async Task<AgentProgress.BootFailed?> BootIntoAgentAsync(StepContext c)
    {
        var boot = await c.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, c.Host.Spec.BootMode, Persistent: false),
            c.Deadline, c.Cancellation);
        if (!boot.IsOk && boot.Outcome != BmcOutcome.Unsupported)
        {
            return new AgentProgress.BootFailed($"setting network boot: {boot.Message}");
        }
        var power = await c.Bmc.Power.SetPowerAsync(PowerAction.Reboot, c.Deadline, c.Cancellation);
        return power.IsOk ? null : new AgentProgress.BootFailed($"rebooting into the agent: {power.Message}");
    }
}
