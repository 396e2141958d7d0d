using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>preparing, deprovisioning and deleting: erase disk metadata per spec.automatedCleaningMode.</summary>
internal static class CleaningStep
{
    public static async Task<StepResult> RunAsync(StepContext c, ErrorType failsWith, string doneMessage)
    {
        var host = c.Host;
        if (host.Spec.AutomatedCleaningMode == AutomatedCleaningMode.Disabled)
        {
            return Done(host, doneMessage + " (cleaning disabled)");
        }
        switch (await AgentWork.RunAsync(c, OperationKind.Clean))
        {
            case AgentProgress.Running:
                return new StepResult.Wait(StepContext.PollInterval);
            case AgentProgress.BootFailed boot:
                return new StepResult.Failed(ErrorType.PowerManagement, boot.Message);
            case AgentProgress.Failed failed:
                return new StepResult.Failed(failsWith, $"cleaning: {failed.Message}");
            case AgentProgress.Unavailable why:
                host.Record("CleaningSkipped", $"disks not cleaned: {why.Why}", warning: true);
                return Done(host, doneMessage + " (cleaning skipped)");
            default:
                return Done(host, doneMessage + " (disk metadata erased)");
        }
    }

    private static StepResult Done(HostSnapshot host, string message)
    {
        host.Status = host.Status with { Provisioning = host.Status.Provisioning with { Image = null, Progress = null } };
        return new StepResult.Advance(Because.StepDone, message);
    }
}
