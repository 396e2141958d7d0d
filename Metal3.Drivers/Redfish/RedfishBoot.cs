using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Redfish.Models;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// The boot override (<c>ComputerSystem.Boot</c>). Every write is read back, because some BMCs answer 200 to a PATCH
/// and then keep their old value.
/// </summary>
internal sealed partial class RedfishBoot(SystemLocator system, ILogger log) : IBootDeviceControl
{
    private RedfishClient Client => system.Client;

    public async Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var read = await system.GetAsync(deadline, ct);
        if (!read.IsOk) return read.WithoutValue();
        if (read.Value.System.Boot is not { } boot) return BmcResult.Fail(BmcOutcome.Unsupported, "the system has no Boot settings");
        if (boot.Enabled == "Disabled" || BootNames.Device(boot.Target) is not { } device)
        {
            return BmcResult.Fail(BmcOutcome.BmcError,
                $"no boot override we know is set (target {boot.Target ?? "absent"}, {boot.Enabled ?? "no Enabled"})");
        }
        // A BMC that shows no mode (iLO 5 on the XL675d) boots UEFI in every capture we have.
        var mode = boot.Mode == "Legacy" ? BootMode.Legacy : BootMode.Uefi;
        return BmcResult<BootOverride>.Ok(new BootOverride(device, mode, boot.Enabled == "Continuous"));
    }

    public async Task<BmcResult> SetBootDeviceAsync(BootOverride wanted, DateTimeOffset deadline, CancellationToken ct)
    {
        string seen = "nothing";
        for (int attempt = 1; attempt <= Math.Max(1, Client.Options.BootOverrideAttempts); attempt++)
        {
            var read = await system.GetAsync(deadline, ct);
            if (!read.IsOk) return read.WithoutValue();
            var (sys, etag) = read.Value;
            if (sys.Boot is not { } boot) return BmcResult.Fail(BmcOutcome.Unsupported, "the system has no Boot settings");
            var plan = Plan(wanted, boot, sys.Manufacturer);
            if (!plan.IsOk) return plan.WithoutValue();
            var (target, enabled, mode) = plan.Value;

            var written = await PatchAsync(sys.Path!, target, enabled, mode, etag, deadline, ct);
            if (!written.IsOk) return written.WithoutValue();
            if (written.Value == PatchOutcome.StaleETag)
            {
                seen = "412 Precondition Failed (the resource changed under us)";
                continue;
            }

            var after = await system.GetAsync(deadline, ct);
            if (!after.IsOk) return after.WithoutValue();
            var now = after.Value.System.Boot;
            if (Matches(now, target, enabled, mode)) return BmcResult.Ok();
            if (written.Value == PatchOutcome.WrittenWithoutMode && now is not null && now.Target == target)
            {
                return BmcResult.Fail(BmcOutcome.BmcError,
                    $"the BMC refused to set BootSourceOverrideMode {mode} and is still in {now.Mode ?? "an unknown mode"}; change the boot mode in the firmware setup");
            }
            seen = $"{now?.Target}/{now?.Enabled}/{now?.Mode}";
            LogReverted(log, Client.Target.Address.Host, $"{target}/{enabled}/{mode}", seen, attempt);
        }
        return BmcResult.Fail(BmcOutcome.BmcError,
            $"the BMC accepted the boot override {BootNames.Target(wanted.Device)}/{BootNames.Enabled(wanted.Persistent)} but kept {seen}");
    }

    private static BmcResult<(string Target, string Enabled, string? Mode)> Plan(BootOverride wanted, BootSettings boot, string? manufacturer)
    {
        if (BootNames.AllowedTarget(wanted.Device, boot.AllowedTargets, manufacturer) is not { } target)
        {
            return BmcResult.Fail(BmcOutcome.Unsupported,
                $"the BMC cannot boot from {BootNames.Target(wanted.Device)}; it allows {string.Join(", ", boot.AllowedTargets ?? [])}");
        }
        string enabled = BootNames.Enabled(wanted.Persistent);
        if (boot.AllowedEnabled is { } allowedEnabled && !allowedEnabled.Contains(enabled, StringComparer.Ordinal))
        {
            // Lenovo XCC offers only Once/Disabled. Saying so beats pretending a one-time override is persistent.
            return BmcResult.Fail(BmcOutcome.Unsupported,
                $"the BMC does not offer a {enabled} boot override; it allows {string.Join(", ", allowedEnabled)}");
        }
        // The mode is sent even when the BMC shows none: sushy-tools hides it in legacy mode yet accepts it, and a
        // BMC that rejects it gets the PATCH again without it (PatchAsync).
        string mode = BootNames.Mode(wanted.Mode);
        if (boot.AllowedModes is { } allowedModes && !allowedModes.Contains(mode, StringComparer.Ordinal))
        {
            return BmcResult.Fail(BmcOutcome.Unsupported,
                $"the BMC cannot boot in {mode} mode; it allows {string.Join(", ", allowedModes)}");
        }
        return BmcResult<(string, string, string?)>.Ok((target, enabled, mode));
    }

    private enum PatchOutcome { Written, WrittenWithoutMode, StaleETag }

    private async Task<BmcResult<PatchOutcome>> PatchAsync(
        string path, string target, string enabled, string? mode, string? etag, DateTimeOffset deadline, CancellationToken ct)
    {
        var sent = await Client.SendAsync(HttpMethod.Patch, path, Body(target, enabled, mode), etag, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var r = sent.Value!;
        if (r.Code == 412) return BmcResult<PatchOutcome>.Ok(PatchOutcome.StaleETag);
        var outcome = PatchOutcome.Written;
        if (r.Code == 400 && mode is not null)
        {
            // Several BMCs (older iDRAC, some AMI builds) refuse a PATCH that touches the mode, even to its current
            // value. The target matters more than the mode, so try once more without it.
            LogRetryWithoutMode(log, Client.Target.Address.Host, r.Describe());
            sent = await Client.SendAsync(HttpMethod.Patch, path, Body(target, enabled, null), etag, deadline, ct);
            if (!sent.IsOk) return sent.WithoutValue();
            r = sent.Value!;
            if (r.Code == 412) return BmcResult<PatchOutcome>.Ok(PatchOutcome.StaleETag);
            outcome = PatchOutcome.WrittenWithoutMode;
        }
        var done = await TaskMonitor.CompleteAsync(Client, r, $"setting the boot override to {target}", deadline, ct);
        return done.IsOk ? BmcResult<PatchOutcome>.Ok(outcome) : done;
    }

    private static JsonObject Body(string target, string enabled, string? mode)
    {
        var boot = new JsonObject
        {
            ["BootSourceOverrideTarget"] = target,
            ["BootSourceOverrideEnabled"] = enabled,
        };
        if (mode is not null) boot["BootSourceOverrideMode"] = mode;
        return new JsonObject { ["Boot"] = boot };
    }

    private static bool Matches(BootSettings? now, string target, string enabled, string? mode)
    {
        if (now is null || now.Target != target) return false;
        if (mode is not null && now.HasMode && now.Mode != mode) return false;
        // sushy-tools ignores BootSourceOverrideEnabled and keeps Continuous: a one-time override that persists
        // still boots what was asked, and the next write replaces it, so accept it.
        return now.Enabled == enabled || (enabled == "Once" && now.Enabled == "Continuous");
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Redfish {Host}: wrote boot override {Wanted} but read back {Seen} (attempt {Attempt})")]
    private static partial void LogReverted(ILogger log, string host, string wanted, string seen, int attempt);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "Redfish {Host}: boot override with a mode was refused ({Reason}); retrying without the mode")]
    private static partial void LogRetryWithoutMode(ILogger log, string host, string reason);
}
