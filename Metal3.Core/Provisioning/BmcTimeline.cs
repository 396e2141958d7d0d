using System.Diagnostics;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// The BMC's part of a host's boot timeline: every power or boot-device change a step asks for becomes an event of the
/// host with its result and duration, so "what did metal3 tell the BMC, and what did the BMC say" is answered by
/// <c>GET /hosts/{name}/events</c>. Reads are recorded only when they fail: power is read on every reconcile, and a
/// timeline of successful polls would bury what matters.
/// </summary>
public static class BmcTimeline
{
    public const string Reason = "BmcCall";

    public static BmcConnection RecordingOn(HostSnapshot host, BmcConnection bmc) =>
        bmc with { Power = new RecordedPower(host, bmc.Power), Boot = new RecordedBoot(host, bmc.Boot) };

    private static void Record(HostSnapshot host, string call, BmcOutcome outcome, string? message, Stopwatch took)
    {
        string result = outcome == BmcOutcome.Ok ? "ok" : $"{outcome}: {message}";
        host.Record(Reason, $"{call}: {result} ({took.ElapsedMilliseconds} ms)", warning: outcome is not (BmcOutcome.Ok or BmcOutcome.Unsupported));
    }

    private sealed class RecordedPower(HostSnapshot host, IPowerControl inner) : IPowerControl
    {
        public async Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct)
        {
            var took = Stopwatch.StartNew();
            var result = await inner.GetPowerAsync(deadline, ct);
            if (!result.IsOk)
            {
                Record(host, "get power", result.Outcome, result.Message, took);
            }
            return result;
        }

        public async Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct)
        {
            var took = Stopwatch.StartNew();
            var result = await inner.SetPowerAsync(action, deadline, ct);
            Record(host, $"set power {action.ToString().ToLowerInvariant()}", result.Outcome, result.Message, took);
            return result;
        }
    }

    private sealed class RecordedBoot(HostSnapshot host, IBootDeviceControl inner) : IBootDeviceControl
    {
        public async Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct)
        {
            var took = Stopwatch.StartNew();
            var result = await inner.SetBootDeviceAsync(boot, deadline, ct);
            string call = $"set boot device {boot.Device.ToString().ToLowerInvariant()} ({boot.Mode}, {(boot.Persistent ? "persistent" : "next boot only")})";
            Record(host, call, result.Outcome, result.Message, took);
            return result;
        }

        public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
            inner.GetBootDeviceAsync(deadline, ct);
    }
}
