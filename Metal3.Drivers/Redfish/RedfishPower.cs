using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Redfish;

/// <summary>Power through <c>ComputerSystem.PowerState</c> and the <c>ComputerSystem.Reset</c> action.</summary>
internal sealed class RedfishPower(SystemLocator system) : IPowerControl
{
    private RedfishClient Client => system.Client;

    public async Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var read = await system.GetAsync(deadline, ct);
        return read.IsOk ? Map(read.Value.System.PowerState) : read.WithoutValue();
    }

    // Transitional states count as where they are heading: "PoweringOn" is on for "turn it on", and so on.
    private static BmcResult<PowerState> Map(string? state) => state switch
    {
        "On" or "PoweringOn" or "Paused" => BmcResult<PowerState>.Ok(PowerState.On),
        "Off" or "PoweringOff" => BmcResult<PowerState>.Ok(PowerState.Off),
        null => BmcResult.Fail(BmcOutcome.BmcError, "the BMC's system resource has no PowerState"),
        _ => BmcResult.Fail(BmcOutcome.BmcError, $"the BMC reports an unknown PowerState '{state}'"),
    };

    public async Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct)
    {
        var read = await system.GetAsync(deadline, ct);
        if (!read.IsOk) return read.WithoutValue();
        var sys = read.Value.System;
        var state = Map(sys.PowerState);
        if (!state.IsOk) return state.WithoutValue();
        bool isOn = state.Value == PowerState.On;
        if (!isOn && action is PowerAction.HardOff or PowerAction.SoftOff) return BmcResult.Ok();
        if (isOn && action == PowerAction.On) return BmcResult.Ok();

        var allowed = await AllowedResetTypesAsync(sys, deadline, ct);
        if (!allowed.IsOk) return allowed.WithoutValue();
        var preferences = isOn ? ResetTypes.Preferences(action) : ResetTypes.WhenOff;
        string? choice = ResetTypes.Choose(preferences, allowed.Value.Names);
        // Only a plain on or off has an end state to check when the BMC says "already"; a restart has none.
        bool? wantOn = !isOn ? true : action is PowerAction.HardOff or PowerAction.SoftOff ? false : null;
        if (choice is not null) return await ResetAsync(sys, choice, wantOn, deadline, ct);

        // A reboot on a BMC with neither ForceRestart nor PowerCycle: hard off, wait for it, then on.
        if (action is PowerAction.Reboot or PowerAction.PowerCycle &&
            ResetTypes.Choose([ResetTypes.ForceOff], allowed.Value.Names) is { } off &&
            ResetTypes.Choose(ResetTypes.WhenOff, allowed.Value.Names) is { } on)
        {
            var offResult = await ResetAsync(sys, off, wantOn: false, deadline, ct);
            if (!offResult.IsOk) return offResult;
            var settled = await WaitForAsync(PowerState.Off, deadline, ct);
            return settled.IsOk ? await ResetAsync(sys, on, wantOn: true, deadline, ct) : settled;
        }
        return BmcResult.Fail(BmcOutcome.Unsupported,
            $"the BMC allows ResetType {string.Join(", ", allowed.Value.Names ?? [])}, none of which does {action}");
    }

    /// <summary>The reset types the BMC allows; <c>Names</c> is null when it does not say, and the spec's names are tried.</summary>
    private sealed record AllowedResetTypes(IReadOnlyList<string>? Names);

    private async Task<BmcResult<AllowedResetTypes>> AllowedResetTypesAsync(ComputerSystem sys, DateTimeOffset deadline, CancellationToken ct)
    {
        if (sys.Reset?.AllowableFor("ResetType") is { Count: > 0 } inline)
        {
            return BmcResult<AllowedResetTypes>.Ok(new(Quirks.SupermicroQuirks.SplitRunTogetherValues(inline, ResetTypes.All)));
        }
        if (sys.Reset?.ActionInfoPath is not { } infoPath) return BmcResult<AllowedResetTypes>.Ok(new(null));
        var sent = await Client.GetAsync(infoPath, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        // An ActionInfo the BMC cannot serve is not a reason to refuse power control: fall back to the spec's names.
        return BmcResult<AllowedResetTypes>.Ok(new(
            sent.Value.IsSuccess && sent.Value.Body is { } body ? ActionInfo.From(body).AllowableFor("ResetType") : null));
    }

    private async Task<BmcResult> ResetAsync(ComputerSystem sys, string resetType, bool? wantOn, DateTimeOffset deadline, CancellationToken ct)
    {
        string target = sys.Reset?.Target ?? $"{sys.Path?.TrimEnd('/') ?? ""}/Actions/ComputerSystem.Reset";
        var sent = await Client.SendAsync(HttpMethod.Post, target, new JsonObject { ["ResetType"] = resetType }, null, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var r = sent.Value;
        string what = $"ComputerSystem.Reset {resetType}";
        if (r.IsSuccess) return await TaskMonitor.CompleteAsync(Client, r, what, deadline, ct);
        // iDRAC answers 409 and iLO 400 when the host is already in the asked state (a race with our read, or a
        // state change landing late). The state is what the caller wants, so re-read it rather than match messages.
        if (r.Code is 400 or 409 && wantOn is { } on)
        {
            var now = await GetPowerAsync(deadline, ct);
            if (now.IsOk && now.Value == (on ? PowerState.On : PowerState.Off)) return BmcResult.Ok();
        }
        return r.Failure(what);
    }

    private async Task<BmcResult> WaitForAsync(PowerState wanted, DateTimeOffset deadline, CancellationToken ct)
    {
        while (true)
        {
            var now = await GetPowerAsync(deadline, ct);
            if (!now.IsOk) return now.WithoutValue();
            if (now.Value == wanted) return BmcResult.Ok();
            TimeSpan left = deadline - Client.Now;
            if (left <= Client.Options.PowerPollInterval)
            {
                return BmcResult.Fail(BmcOutcome.BmcError, $"the host did not reach power {wanted} before the deadline");
            }
            await Task.Delay(Client.Options.PowerPollInterval, Client.Options.Time, ct);
        }
    }
}
