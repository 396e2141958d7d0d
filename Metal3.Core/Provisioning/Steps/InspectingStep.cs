using Metal3.Core.Bmc;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>inspecting: hardware details from the deploy agent, or from the BMC when the host has no agent.</summary>
internal static class InspectingStep
{
    public static async Task<StepOutcome> RunAsync(StepContext c)
    {
        var agent = await AgentWork.RunAsync(c, OperationKind.Inspect);
        if (agent.Unfinished is { } unfinished)
        {
            return new StepOutcome(unfinished, agent.Changes);
        }
        if (agent.Progress is AgentProgress.Succeeded done)
        {
            return new StepOutcome(new StepResult.Advance(Because.StepDone, "inspected by the deploy agent"),
                agent.Changes with { Hardware = new(done.Hardware) });
        }
        return await OutOfBandAsync(c, agent.Changes);
    }

    private static async Task<StepOutcome> OutOfBandAsync(StepContext c, HostChanges changes)
    {
        var inventory = await c.Bmc.Inventory.ReadInventoryAsync(c.Deadline, c.Cancellation);
        if (inventory.IsOk)
        {
            return new StepOutcome(new StepResult.Advance(Because.StepDone, "inspected out of band through the BMC"),
                changes with { Hardware = new(inventory.Value) });
        }
        if (inventory.Outcome == BmcOutcome.Unsupported)
        {
            return new StepOutcome(new StepResult.Advance(Because.StepDone, "inspection skipped"),
                changes.Record("InspectionSkipped", $"no hardware details: no deploy agent and no BMC inventory ({inventory.Message})",
                    warning: true));
        }
        return new StepOutcome(c.Fail($"reading the inventory from the BMC: {inventory.Message}"), changes);
    }
}
