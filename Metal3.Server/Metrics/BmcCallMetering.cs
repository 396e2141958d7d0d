using System.Diagnostics;
using Metal3.Core.Bmc;

namespace Metal3.Server.Metrics;

/// <summary>
/// Times every BMC call and counts its outcome, as a filter on the one call path the driver registry builds, so the
/// state machine, power sync and the drivers know nothing of metrics.
/// </summary>
public sealed class BmcCallMetering(ServerMetrics metrics) : IBmcCallFilter
{
    public async Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        if (call.Address is not { } bmc)
        {
            return await next();
        }
        long start = Stopwatch.GetTimestamp();
        string outcome = "exception";
        try
        {
            var result = await next();
            outcome = result.Outcome.ToString();
            return result;
        }
        finally
        {
            metrics.BmcCall(bmc.Kind, call.Operation, outcome, Stopwatch.GetElapsedTime(start));
        }
    }
}
