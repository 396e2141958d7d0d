using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>preparing, deprovisioning and deleting: erase disk metadata per spec.automatedCleaningMode.</summary>
internal static class CleaningStep
{
    public static async Task<StepResult> RunAsync(StepContext c, string doneMessage)
    {
        var host = c.Host;
        if (host.Spec.AutomatedCleaningMode == AutomatedCleaningMode.Disabled)
        {
            return Done(host, doneMessage + " (cleaning disabled)");
        }
        var progress = await AgentWork.RunAsync(c, OperationKind.Clean);
        if (AgentWork.Unfinished(c, progress, failurePrefix: "cleaning: ") is { } unfinished)
        {
            return unfinished;
        }
        if (progress is AgentProgress.Unavailable why)
        {
            host.Record("CleaningSkipped", $"disks not cleaned: {why.Why}", warning: true);
            return Done(host, doneMessage + " (cleaning skipped)");
        }
        return Done(host, doneMessage + " (disk metadata erased)");
    }

    private static StepResult Done(HostSnapshot host, string message)
    {
        host.Status = host.Status with { Provisioning = host.Status.Provisioning with { Image = null, Progress = null } };
        return new StepResult.Advance(Because.StepDone, message);
    }
}
