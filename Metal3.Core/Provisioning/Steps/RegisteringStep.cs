using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>registering: the BMC answers and accepts the credentials.</summary>
internal static class RegisteringStep
{
    public static async Task<StepResult> RunAsync(StepContext c)
    {
        var host = c.Host;
        var power = await c.Bmc.Power.GetPowerAsync(c.Deadline, c.Cancellation);
        if (!power.IsOk)
        {
            host.Status = host.Status with { GoodCredentials = false };
            string what = power.Outcome == BmcOutcome.WrongCredentials ? "the BMC refused the credentials" : "the BMC could not be reached";
            return c.Fail($"{what}: {power.Message}");
        }
        host.Status = host.Status with { GoodCredentials = true, PoweredOn = power.Value == PowerState.On };
        return host.Spec.ExternallyProvisioned
            ? new StepResult.Advance(Because.ExternallyProvisioned, "registered; externally provisioned: power is managed, the disk is not")
            : new StepResult.Advance(Because.StepDone, $"registered: the BMC answers, power is {power.Value.ToString().ToLowerInvariant()}");
    }
}
