using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// Starts an agent command once, boots the host into the agent, and polls the command until it ends; shared by
/// inspect, clean and deploy.
/// </summary>
internal static class AgentWork
{
    /// <summary>
    /// The progress of <paramref name="kind"/>, starting it when nothing of that kind is under way;
    /// <see cref="AgentProgress.BootFailed"/> when the BMC could not boot the host into the agent.
    /// </summary>
    public static async Task<AgentProgress> RunAsync(StepContext c, OperationKind kind, ImageSpec? image = null)
    {
        var host = c.Host;
        AgentProgress progress;
        if (host.Operation is { } op && op.Kind == kind && op.Image == image)
        {
            progress = await c.Agent.PollAsync(host, op, c.Cancellation);
        }
        else
        {
            var started = new HostOperation(kind, host.Now, image);
            progress = await c.Agent.StartAsync(host, started, c.Cancellation);
            if (progress is AgentProgress.Running)
            {
                if (await BootIntoAgentAsync(c) is { } failure)
                {
                    host.Operation = null;
                    return failure;
                }
                host.Operation = started;
                host.Record("AgentCommandStarted", $"{kind.ToString().ToLowerInvariant()} started; host booting into the agent");
            }
        }
        if (progress is not AgentProgress.Running)
        {
            host.Operation = null;
        }
        return progress;
    }

    /// <summary>
    /// The result for an agent command that has not succeeded: still running; the host could not be booted into the agent
    /// (a power management error, whatever the state); or the command failed (the state's own error). Null once it
    /// succeeded, or when there is no agent: each state goes on in its own way then.
    /// </summary>
    public static StepResult? Unfinished(StepContext c, AgentProgress progress, string failurePrefix = "") => progress switch
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
