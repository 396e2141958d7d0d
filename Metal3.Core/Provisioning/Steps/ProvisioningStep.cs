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
        switch (await AgentWork.RunAsync(c, OperationKind.Deploy, image))
        {
            case AgentProgress.Running running:
                host.Status = host.Status with
                {
                    Provisioning = host.Status.Provisioning with
                    {
                        Progress = running.BytesWritten is { } written ? new ProgressStatus(written, running.BytesTotal) : null,
                    },
                };
                return new StepResult.Wait(StepContext.PollInterval);
            case AgentProgress.BootFailed bootFailed:
                return new StepResult.Failed(ErrorType.PowerManagement, bootFailed.Message);
            case AgentProgress.Failed failed:
                return new StepResult.Failed(ErrorType.Provisioning, failed.Message);
            case AgentProgress.Unavailable why:
                return new StepResult.Failed(ErrorType.Provisioning, $"no deploy agent for this host: {why.Why}");
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
            return new StepResult.Failed(ErrorType.Provisioning, $"setting the boot device to disk: {boot.Message}");
        }
        var power = await c.Bmc.Power.SetPowerAsync(host.Spec.Online ? PowerAction.Reboot : PowerAction.HardOff, c.Deadline,
            c.Cancellation);
        if (!power.IsOk)
        {
            return new StepResult.Failed(ErrorType.Provisioning, $"rebooting into the image: {power.Message}");
        }
        return new StepResult.Advance(Because.StepDone, $"image {image.Url} written; booting from disk");
    }
}
