namespace Metal3.Core.Bmc;

/// <summary>Stand-ins for a capability that is not there (ironic's noop interfaces).</summary>
public sealed class Unsupported(string why) : IPowerControl, IBootDeviceControl, IInventoryReader, IVirtualMediaControl
{
    public static BmcConnection Connection(string why)
    {
        var u = new Unsupported(why);
        return new BmcConnection(u, u, u, u);
    }

    private BmcResult Fail => BmcResult.Fail(BmcOutcome.Unsupported, why);

    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<PowerState>>(Fail);
    public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<BootOverride>>(Fail);
    public Task<BmcResult<Hosts.HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult<BmcResult<Hosts.HardwareDetails>>(Fail);
    public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
    public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(Fail);
}
