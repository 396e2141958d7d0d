using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>provisioning: the agent writes spec.image; then the host boots from its disk.</summary>
internal static class ProvisioningStep
{
    public static async Task<StepOutcome> RunAsync(StepContext c)
    {
        var host = c.Host;
        if (host.Spec.Image is not { } image)
        {
            return new StepOutcome(new StepResult.Advance(Because.ImageCleared, "image cleared while provisioning"),
                new HostChanges { Operation = new(null) });
        }
        var agent = await AgentWork.RunAsync(c, OperationKind.Deploy, image);
        var changes = agent.Changes;
        if (agent.Progress is AgentProgress.Running running)
        {
            var progress = running.BytesWritten is { } written ? new ProgressStatus(written, running.BytesTotal) : null;
            changes = changes with { Disk = new DiskChange.Writing(progress) };
        }
        if (agent.Unfinished is { } unfinished)
        {
            return new StepOutcome(unfinished, changes);
        }
        if (agent.Progress is AgentProgress.Unavailable why)
        {
            return new StepOutcome(c.Fail($"no deploy agent for this host: {why.Why}"), changes);
        }

        // The image is on the disk whether or not the BMC now boots it, so the status says so on every way out.
        changes = changes with { Disk = new DiskChange.Written(image, host.Spec.BootMode, host.Spec.RootDeviceHints) };
        var boot = await c.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, host.Spec.BootMode, Persistent: true),
            c.Deadline, c.Cancellation);
        if (!boot.IsOk && boot.Outcome != BmcOutcome.Unsupported)
        {
            return new StepOutcome(c.Fail($"setting the boot device to disk: {boot.Message}"), changes);
        }
        var power = await c.Bmc.Power.SetPowerAsync(host.Spec.Online ? PowerAction.Reboot : PowerAction.HardOff, c.Deadline,
            c.Cancellation);
        if (!power.IsOk)
        {
            return new StepOutcome(c.Fail($"rebooting into the image: {power.Message}"), changes);
        }
        return new StepOutcome(new StepResult.Advance(Because.StepDone, $"image {image.Url} written; booting from disk"), changes);
    }
}
