using System.Diagnostics;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// The BMC's part of a host's boot timeline: every power or boot-device change a step asks for becomes an event of the
/// host with its result and duration, so "what did metal3 tell the BMC, and what did the BMC say" is answered by
/// <c>GET /hosts/{name}/events</c>. Reads are recorded only when they fail: power is read on every reconcile, and a
/// timeline of successful polls would bury what matters. Inspection records its own events, so inventory is left out.
/// </summary>
public sealed class BmcTimeline(HostSnapshot host) : IBmcCallFilter
{
    public const string Reason = "BmcCall";

    public static BmcConnection RecordingOn(HostSnapshot host, BmcConnection bmc) => bmc.Through(new BmcTimeline(host));

    public async Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        if (call.Capability is not (BmcCapabilities.Power or BmcCapabilities.BootDevice))
        {
            return await next();
        }
        var took = Stopwatch.StartNew();
        var result = await next();
        if (call.Changes || result.Outcome != BmcOutcome.Ok)
        {
            string said = result.Outcome == BmcOutcome.Ok ? "ok" : $"{result.Outcome}: {result.Message}";
            host.Record(Reason, $"{call.Description}: {said} ({took.ElapsedMilliseconds} ms)",
                warning: result.Outcome is not (BmcOutcome.Ok or BmcOutcome.Unsupported));
        }
        return result;
    }
}
