using Metal3.Core.Bmc;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>registering: the BMC answers and accepts the credentials.</summary>
internal static class RegisteringStep
{
    public static async Task<StepOutcome> RunAsync(StepContext c)
    {
        var power = await c.Bmc.Power.GetPowerAsync(c.Deadline, c.Cancellation);
        if (!power.IsOk)
        {
            string what = power.Outcome == BmcOutcome.WrongCredentials ? "the BMC refused the credentials" : "the BMC could not be reached";
            return new StepOutcome(c.Fail($"{what}: {power.Message}"), new HostChanges { GoodCredentials = false });
        }
        var answered = new HostChanges { GoodCredentials = true, PoweredOn = power.Value == PowerState.On };
        StepResult registered = c.Host.Spec.ExternallyProvisioned
            ? new StepResult.Advance(Because.ExternallyProvisioned, "registered; externally provisioned: power is managed, the disk is not")
            : new StepResult.Advance(Because.StepDone, $"registered: the BMC answers, power is {power.Value.ToString().ToLowerInvariant()}");
        return new StepOutcome(registered, answered);
    }
}
