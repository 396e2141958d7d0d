using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// In the resting states (available, provisioned, externally provisioned) the power follows spec.online, and a requested
/// reboot happens. Null when the power is as wanted and nothing was asked.
/// </summary>
internal static class PowerKeeping
{
    /// <summary>How long a soft power-off may take before the power is cut.</summary>
    public static readonly TimeSpan SoftOffGrace = TimeSpan.FromMinutes(3);

    public static async Task<StepResult?> KeepAsync(StepContext c)
    {
        var host = c.Host;
        var power = await c.Bmc.Power.GetPowerAsync(c.Deadline, c.Cancellation);
        if (!power.IsOk)
        {
            return c.Fail($"reading the power state: {power.Message}");
        }
        bool on = power.Value == PowerState.On;
        host.Status = host.Status with { PoweredOn = on };

        if (host.RebootRequestedAt is not null)
        {
            var reboot = await c.Bmc.Power.SetPowerAsync(on ? PowerAction.Reboot : PowerAction.On, c.Deadline, c.Cancellation);
            if (!reboot.IsOk)
            {
                return c.Fail($"rebooting: {reboot.Message}");
            }
            host.RebootRequestedAt = null;
            host.Record("Rebooted", on ? "hard reset through the BMC" : "the host was off: powered on");
            return new StepResult.Wait(StepContext.PollInterval);
        }

        if (on == host.Spec.Online)
        {
            if (host.Operation?.Kind == OperationKind.SoftPowerOff)
            {
                host.Operation = null;
            }
            return null;
        }
        return host.Spec.Online ? await PowerOnAsync(c) : await PowerOffAsync(c);
    }

    private static async Task<StepResult> PowerOnAsync(StepContext c)
    {
        var result = await c.Bmc.Power.SetPowerAsync(PowerAction.On, c.Deadline, c.Cancellation);
        if (!result.IsOk)
        {
            return c.Fail($"powering on: {result.Message}");
        }
        c.Host.Record("PowerOn", "powered on (spec.online is true)");
        return new StepResult.Wait(StepContext.PollInterval);
    }

    /// <summary>A graceful shutdown first; the power is cut if the OS has not finished after <see cref="SoftOffGrace"/>.</summary>
    private static async Task<StepResult> PowerOffAsync(StepContext c)
    {
        var host = c.Host;
        bool graceExpired = host.Operation is { Kind: OperationKind.SoftPowerOff } soft && host.Now - soft.StartedAt > SoftOffGrace;
        if (host.Operation?.Kind == OperationKind.SoftPowerOff && !graceExpired)
        {
            return new StepResult.Wait(StepContext.PollInterval);
        }
        var action = graceExpired ? PowerAction.HardOff : PowerAction.SoftOff;
        var result = await c.Bmc.Power.SetPowerAsync(action, c.Deadline, c.Cancellation);
        if (!result.IsOk && action == PowerAction.SoftOff && result.Outcome == BmcOutcome.Unsupported)
        {
            action = PowerAction.HardOff;
            result = await c.Bmc.Power.SetPowerAsync(action, c.Deadline, c.Cancellation);
        }
        if (!result.IsOk)
        {
            return c.Fail($"powering off: {result.Message}");
        }
        host.Operation = action == PowerAction.SoftOff ? new HostOperation(OperationKind.SoftPowerOff, host.Now) : null;
        host.Record("PowerOff", action == PowerAction.SoftOff ? "graceful shutdown requested (spec.online is false)" : "power cut");
        return new StepResult.Wait(StepContext.PollInterval);
    }
}
