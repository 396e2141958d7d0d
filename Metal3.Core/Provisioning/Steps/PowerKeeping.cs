using Metal3.Core.Bmc;

namespace Metal3.Core.Provisioning.Steps;

/// <summary>
/// In the resting states (available, provisioned, externally provisioned) the power follows spec.online, and a requested
/// reboot happens. Idle until the resync when the power is as wanted and nothing was asked.
/// </summary>
internal static class PowerKeeping
{
    /// <summary>How long a soft power-off may take before the power is cut.</summary>
    public static readonly TimeSpan SoftOffGrace = TimeSpan.FromMinutes(3);

    public static async Task<StepOutcome> KeepAsync(StepContext c)
    {
        var host = c.Host;
        var power = await c.Bmc.Power.GetPowerAsync(c.Deadline, c.Cancellation);
        if (!power.IsOk)
        {
            return c.Fail($"reading the power state: {power.Message}");
        }
        bool on = power.Value == PowerState.On;
        // The power read is news whatever happens next, a failure included.
        var seen = new HostChanges { PoweredOn = on };

        if (host.RebootRequestedAt is not null)
        {
            var reboot = await c.Bmc.Power.SetPowerAsync(on ? PowerAction.Reboot : PowerAction.On, c.Deadline, c.Cancellation);
            if (!reboot.IsOk)
            {
                return new StepOutcome(c.Fail($"rebooting: {reboot.Message}"), seen);
            }
            return new StepOutcome(new StepResult.Wait(StepContext.PollInterval),
                (seen with { RebootRequestDone = true })
                    .Record("Rebooted", on ? "hard reset through the BMC" : "the host was off: powered on"));
        }

        if (on == host.Spec.Online)
        {
            // A graceful shutdown that got there is no longer work under way.
            var resting = host.Operation?.Kind == OperationKind.SoftPowerOff ? seen with { Operation = new(null) } : seen;
            return new StepOutcome(new StepResult.Idle(StepContext.Resync), resting);
        }
        return host.Spec.Online ? await PowerOnAsync(c, seen) : await PowerOffAsync(c, seen);
    }

    private static async Task<StepOutcome> PowerOnAsync(StepContext c, HostChanges seen)
    {
        var result = await c.Bmc.Power.SetPowerAsync(PowerAction.On, c.Deadline, c.Cancellation);
        if (!result.IsOk)
        {
            return new StepOutcome(c.Fail($"powering on: {result.Message}"), seen);
        }
        return new StepOutcome(new StepResult.Wait(StepContext.PollInterval), seen.Record("PowerOn", "powered on (spec.online is true)"));
    }

    /// <summary>A graceful shutdown first; the power is cut if the OS has not finished after <see cref="SoftOffGrace"/>.</summary>
    private static async Task<StepOutcome> PowerOffAsync(StepContext c, HostChanges seen)
    {
        var host = c.Host;
        bool graceExpired = host.Operation is { Kind: OperationKind.SoftPowerOff } soft && host.Now - soft.StartedAt > SoftOffGrace;
        if (host.Operation?.Kind == OperationKind.SoftPowerOff && !graceExpired)
        {
            return new StepOutcome(new StepResult.Wait(StepContext.PollInterval), seen);
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
            return new StepOutcome(c.Fail($"powering off: {result.Message}"), seen);
        }
        // A soft power-off is work under way until the host is off (or its grace runs out); a cut ends it.
        var underWay = action == PowerAction.SoftOff ? new HostOperation(OperationKind.SoftPowerOff, host.Now) : null;
        return new StepOutcome(new StepResult.Wait(StepContext.PollInterval),
            (seen with { Operation = new(underWay) })
                .Record("PowerOff", action == PowerAction.SoftOff ? "graceful shutdown requested (spec.online is false)" : "power cut"));
    }
}
