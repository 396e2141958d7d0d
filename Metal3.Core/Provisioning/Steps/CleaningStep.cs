using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>preparing, deprovisioning and deleting: erase disk metadata per spec.automatedCleaningMode.</summary>
internal static class CleaningStep
{
    public static async Task<StepOutcome> RunAsync(StepContext c, string doneMessage)
    {
        if (c.Host.Spec.AutomatedCleaningMode == AutomatedCleaningMode.Disabled)
        {
            return Done(HostChanges.None, doneMessage + " (cleaning disabled)");
        }
        var agent = await AgentWork.RunAsync(c, OperationKind.Clean, failurePrefix: "cleaning: ");
        if (agent.Unfinished is { } unfinished)
        {
            return new StepOutcome(unfinished, agent.Changes);
        }
        if (agent.Progress is AgentProgress.Unavailable why)
        {
            return Done(agent.Changes.Record("CleaningSkipped", $"disks not cleaned: {why.Why}", warning: true),
                doneMessage + " (cleaning skipped)");
        }
        return Done(agent.Changes, doneMessage + " (disk metadata erased)");
    }

    private static StepOutcome Done(HostChanges changes, string message) =>
        new(new StepResult.Advance(Because.StepDone, message), changes with { Disk = new DiskChange.Cleaned() });
}
