using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>inspecting: hardware details from the deploy agent, or from the BMC when the host has no agent.</summary>
internal static class InspectingStep
{
    public static async Task<StepResult> RunAsync(StepContext c)
    {
        var host = c.Host;
        var progress = await AgentWork.RunAsync(c, OperationKind.Inspect);
        if (AgentWork.Unfinished(c, progress) is { } unfinished)
        {
            return unfinished;
        }
        if (progress is AgentProgress.Succeeded done)
        {
            host.Status = host.Status with { Hardware = done.Hardware };
            return new StepResult.Advance(Because.StepDone, "inspected by the deploy agent");
        }
        return await OutOfBandAsync(c);
    }

    private static async Task<StepResult> OutOfBandAsync(StepContext c)
    {
        var inventory = await c.Bmc.Inventory.ReadInventoryAsync(c.Deadline, c.Cancellation);
        if (inventory.IsOk)
        {
            c.Host.Status = c.Host.Status with { Hardware = inventory.Value };
            return new StepResult.Advance(Because.StepDone, "inspected out of band through the BMC");
        }
        if (inventory.Outcome == Bmc.BmcOutcome.Unsupported)
        {
            c.Host.Record("InspectionSkipped", $"no hardware details: no deploy agent and no BMC inventory ({inventory.Message})", warning: true);
            return new StepResult.Advance(Because.StepDone, "inspection skipped");
        }
        return c.Fail($"reading the inventory from the BMC: {inventory.Message}");
    }
}
