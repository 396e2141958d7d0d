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
        else if (c.Media is AgentMedia.Unusable unusable)
        {
            // Nothing is started on an agent that could not boot.
            progress = new AgentProgress.Failed(unusable.Why);
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
            changes = await EjectAsync(c, progress, changes with { Operation = new(null) });
        }
        return new AgentRun(progress, Unfinished(c, progress, failurePrefix), changes);
    }

    /// <summary>
    /// The agent's CD comes out once its command has ended, so that the next boot (the deployed disk, or the next
    /// command's fresh ISO) is not the old agent. A failed eject is a warning, not the state's failure: the command's
    /// result stands, the boot override to the disk is persistent, and the next command inserts its own ISO anyway.
    /// </summary>
    private static async Task<HostChanges> EjectAsync(StepContext c, AgentProgress progress, HostChanges changes)
    {
        if (c.Media is not AgentMedia.VirtualCd || progress is AgentProgress.Unavailable)
        {
            return changes;
        }
        var ejected = await c.Bmc.VirtualMedia.EjectMediaAsync(c.Deadline, c.Cancellation);
        return ejected.IsOk
            ? changes
            : changes.Record("VirtualMediaEjectFailed", $"the agent ISO is still inserted: {ejected.Message}", warning: true);
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

    /// <summary>
    /// Network boot or the agent's virtual CD once, then a reboot (or power on): the agent ramdisk comes up and picks up
    /// its command. A BMC that cannot set a boot device (IPMI without the command) is left to its own boot order for the
    /// network; a virtual CD needs it, since the disk would boot first otherwise.
    /// </summary>
    private static async Task<AgentProgress.BootFailed?> BootIntoAgentAsync(StepContext c)
    {
        var device = BootDevice.Pxe;
        if (c.Media is AgentMedia.VirtualCd cd)
        {
            var inserted = await c.Bmc.VirtualMedia.InsertMediaAsync(cd.Iso, c.Deadline, c.Cancellation);
            if (!inserted.IsOk)
            {
                return new AgentProgress.BootFailed($"inserting the agent ISO: {inserted.Message}");
            }
            device = BootDevice.Cd;
        }
        var boot = await c.Bmc.Boot.SetBootDeviceAsync(new BootOverride(device, c.Host.Spec.BootMode, Persistent: false),
            c.Deadline, c.Cancellation);
        if (!boot.IsOk && (boot.Outcome != BmcOutcome.Unsupported || device == BootDevice.Cd))
        {
            return new AgentProgress.BootFailed($"setting {(device == BootDevice.Cd ? "a one-time boot from the virtual CD" : "network boot")}: {boot.Message}");
        }
        var power = await c.Bmc.Power.SetPowerAsync(PowerAction.Reboot, c.Deadline, c.Cancellation);
        return power.IsOk ? null : new AgentProgress.BootFailed($"rebooting into the agent: {power.Message}");
    }
}
