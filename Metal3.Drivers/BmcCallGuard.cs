using Metal3.Core.Bmc;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers;

/// <summary>
/// The last line of the "never throws" contract, for every driver: whatever a BMC provokes that its driver did not
/// foresee becomes a <see cref="BmcOutcome.BmcError"/> (and a log line with the stack), so one odd BMC cannot crash a
/// reconcile job. Only the caller's own cancellation passes through. It is the innermost filter, next to the driver,
/// so the filters outside it see a result, never an exception.
/// </summary>
public sealed partial class BmcCallGuard(ILogger<BmcCallGuard> log) : IBmcCallFilter
{
    public async Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        try
        {
            return await next();
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            string driver = call.Address?.Kind.ToString() ?? "stand-in";
            LogUnexpected(log, e, driver, call.Address?.Host, call.Description);
            return TResult.Fail(BmcOutcome.BmcError, $"{call.Description} failed in the {driver} driver: {e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 4900, Level = LogLevel.Error, Message = "{Driver} BMC {Host}: {What} threw; reported as a BMC error")]
    private static partial void LogUnexpected(ILogger log, Exception e, string driver, string? host, string what);
}
