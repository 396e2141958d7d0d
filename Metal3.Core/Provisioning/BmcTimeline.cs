using System.Diagnostics;
using Metal3.Core.Bmc;

namespace Metal3.Core.Provisioning;

/// <summary>
/// The BMC's part of a host's boot timeline: every power or boot-device change a step asks for becomes an event of the
/// host with its result and duration, so "what did metal3 tell the BMC, and what did the BMC say" is answered by
/// <c>GET /hosts/{name}/events</c>. Reads are recorded only when they fail: power is read on every reconcile, and a
/// timeline of successful polls would bury what matters. Inspection records its own events, so inventory is left out.
/// The state machine makes one timeline per step and puts its events before the handler's own; the handler never sees
/// it. A step's BMC calls are made one after another, so the list needs no lock.
/// </summary>
public sealed class BmcTimeline : IBmcCallFilter
{
    public const string Reason = "BmcCall";

    private readonly List<HostEvent> _events = [];

    /// <summary>The calls recorded so far, in the order they were made.</summary>
    public IReadOnlyList<HostEvent> Events => _events;

    /// <summary><paramref name="bmc"/> with every call going through this timeline.</summary>
    public BmcConnection Around(BmcConnection bmc) => bmc.Through(this);

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
            _events.Add(new HostEvent(Reason, $"{call.Description}: {said} ({took.ElapsedMilliseconds} ms)",
                Warning: result.Outcome is not (BmcOutcome.Ok or BmcOutcome.Unsupported)));
        }
        return result;
    }
}
