using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>provisioning: the agent writes spec.image; then the host boots from its disk.</summary>
internal static class ProvisioningStep
{
    public static async Task<StepResult> RunAsync(StepContext c)
    {
        var host = c.Host;
        if (host.Spec.Image is not { } image)
        {
            host.Operation = null;
            return new StepResult.Advance(Because.ImageCleared, "image cleared while provisioning");
        }
        var progress = await AgentWork.RunAsync(c, OperationKind.Deploy, image);
        if (progress is AgentProgress.Running running)
        {
            host.Status = host.Status with
            {
                Provisioning = host.Status.Provisioning with
                {
                    Progress = running.BytesWritten is { } written ? new ProgressStatus(written, running.BytesTotal) : null,
                },
            };
        }
        if (AgentWork.Unfinished(c, progress) is { } unfinished)
        {
            return unfinished;
        }
        if (progress is AgentProgress.Unavailable why)
        {
            return c.Fail($"no deploy agent for this host: {why.Why}");
        }

        host.Status = host.Status with
        {
            Provisioning = host.Status.Provisioning with
            {
                Image = image,
                BootMode = host.Spec.BootMode,
                RootDeviceHints = host.Spec.RootDeviceHints,
                Progress = null,
            },
        };
        var boot = await c.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, host.Spec.BootMode, Persistent: true),
            c.Deadline, c.Cancellation);
        if (!boot.IsOk && boot.Outcome != BmcOutcome.Unsupported)
        {
            return c.Fail($"setting the boot device to disk: {boot.Message}");
        }
        var power = await c.Bmc.Power.SetPowerAsync(host.Spec.Online ? PowerAction.Reboot : PowerAction.HardOff, c.Deadline,
            c.Cancellation);
        if (!power.IsOk)
        {
            return c.Fail($"rebooting into the image: {power.Message}");
        }
        return new StepResult.Advance(Because.StepDone, $"image {image.Url} written; booting from disk");
    }
}
