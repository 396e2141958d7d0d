using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// The last line of the "never throws" contract: whatever a payload provokes that the driver did not foresee becomes a
/// <see cref="BmcOutcome.BmcError"/> (and a log line with the stack), so one odd BMC cannot crash a reconcile job.
/// Only the caller's own cancellation passes through.
/// </summary>
internal sealed partial class Guarded(
    IPowerControl power, IBootDeviceControl boot, IInventoryReader inventory, IVirtualMediaControl media, string host, ILogger log)
    : IPowerControl, IBootDeviceControl, IInventoryReader, IVirtualMediaControl
{
    public BmcConnection AsConnection() => new(this, this, this, this);

    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => power.GetPowerAsync(deadline, ct), "reading power", ct);

    public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => power.SetPowerAsync(action, deadline, ct), $"power {action}", ct);

    public Task<BmcResult> SetBootDeviceAsync(BootOverride wanted, DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => boot.SetBootDeviceAsync(wanted, deadline, ct), "setting the boot override", ct);

    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => boot.GetBootDeviceAsync(deadline, ct), "reading the boot override", ct);

    public Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => inventory.ReadInventoryAsync(deadline, ct), "reading the inventory", ct);

    public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => media.InsertMediaAsync(image, deadline, ct), "inserting virtual media", ct);

    public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) =>
        RunAsync(() => media.EjectMediaAsync(deadline, ct), "ejecting virtual media", ct);

    private async Task<BmcResult> RunAsync(Func<Task<BmcResult>> call, string what, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            LogUnexpected(log, e, host, what);
            return BmcResult.Fail(BmcOutcome.BmcError, $"{what} failed in the Redfish driver: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<BmcResult<T>> RunAsync<T>(Func<Task<BmcResult<T>>> call, string what, CancellationToken ct) where T : notnull
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            LogUnexpected(log, e, host, what);
            return BmcResult<T>.Fail(BmcOutcome.BmcError, $"{what} failed in the Redfish driver: {e.GetType().Name}: {e.Message}");
        }
    }

    [LoggerMessage(LogLevel.Error, "Redfish {Host}: {What} threw; reported as a BMC error")]
    private static partial void LogUnexpected(ILogger log, Exception e, string host, string what);
}
