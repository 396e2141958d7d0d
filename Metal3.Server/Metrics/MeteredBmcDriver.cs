using System.Diagnostics;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Server.Metrics;

/// <summary>
/// Times every BMC call of a driver and counts its outcome, at the one place every connection is made
/// (<see cref="BmcDriverRegistry"/>), so the state machine, power sync and the drivers know nothing of metrics.
/// </summary>
public sealed class MeteredBmcDriver(IBmcDriver inner, ServerMetrics metrics) : IBmcDriver
{
    public IReadOnlyCollection<BmcDriverKind> Kinds => inner.Kinds;

    public BmcConnection Connect(BmcTarget target)
    {
        var c = inner.Connect(target);
        var calls = new Calls(target.Address.Kind, metrics);
        return new BmcConnection(new Power(c.Power, calls), new Boot(c.Boot, calls), new Inventory(c.Inventory, calls),
            new VirtualMedia(c.VirtualMedia, calls));
    }

    private sealed class Calls(BmcDriverKind driver, ServerMetrics metrics)
    {
        public async Task<TResult> Time<TResult>(string operation, Func<Task<TResult>> call) where TResult : IBmcResult<TResult>
        {
            long start = Stopwatch.GetTimestamp();
            string outcome = "exception";
            try
            {
                var result = await call();
                outcome = result.Outcome.ToString();
                return result;
            }
            finally
            {
                metrics.BmcCall(driver, operation, outcome, Stopwatch.GetElapsedTime(start));
            }
        }
    }

    private sealed class Power(IPowerControl inner, Calls calls) : IPowerControl
    {
        public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("get_power", () => inner.GetPowerAsync(deadline, ct));
        public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("set_power", () => inner.SetPowerAsync(action, deadline, ct));
    }

    private sealed class Boot(IBootDeviceControl inner, Calls calls) : IBootDeviceControl
    {
        public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("set_boot_device", () => inner.SetBootDeviceAsync(boot, deadline, ct));
        public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("get_boot_device", () => inner.GetBootDeviceAsync(deadline, ct));
    }

    private sealed class Inventory(IInventoryReader inner, Calls calls) : IInventoryReader
    {
        public Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("read_inventory", () => inner.ReadInventoryAsync(deadline, ct));
    }

    private sealed class VirtualMedia(IVirtualMediaControl inner, Calls calls) : IVirtualMediaControl
    {
        public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("insert_media", () => inner.InsertMediaAsync(image, deadline, ct));
        public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) =>
            calls.Time("eject_media", () => inner.EjectMediaAsync(deadline, ct));
    }
}
