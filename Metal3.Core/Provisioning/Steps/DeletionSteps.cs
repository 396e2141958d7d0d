using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>deleting → powering off before delete → the row is removed.</summary>
internal static class DeletionSteps
{
    public static Task<StepOutcome> DeletingAsync(StepContext c) =>
        c.Host.Status.Provisioning.Image is null
            ? Task.FromResult<StepOutcome>(new StepResult.Advance(Because.StepDone, "nothing written to disk: powering off"))
            : CleaningStep.RunAsync(c, "deprovisioned before delete");

    public static async Task<StepOutcome> PoweringOffAsync(StepContext c)
    {
        var power = await c.Bmc.Power.GetPowerAsync(c.Deadline, c.Cancellation);
        if (!power.IsOk)
        {
            return c.Fail($"reading the power state before delete: {power.Message} (detach the host to delete it without its BMC)");
        }
        if (power.Value == PowerState.Off)
        {
            return new StepResult.Removed("powered off and removed");
        }
        var off = await c.Bmc.Power.SetPowerAsync(PowerAction.HardOff, c.Deadline, c.Cancellation);
        if (!off.IsOk)
        {
            return c.Fail($"powering off before delete: {off.Message} (detach the host to delete it without its BMC)");
        }
        return new StepOutcome(new StepResult.Wait(StepContext.PollInterval),
            HostChanges.None.Record("PowerOff", "power cut before delete"));
    }
}
