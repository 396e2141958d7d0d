namespace Metal3.Core.Bmc;

/// <summary>
/// The one way a BMC call goes: each capability method is written here once, as a <see cref="BmcCall"/> handed
/// through the filters, outermost first, to the driver's capability object. A new capability method is wired here,
/// and every filter sees it.
/// </summary>
public sealed class BmcCallPath : IPowerControl, IBootDeviceControl, IInventoryReader, IVirtualMediaControl
{
    private readonly BmcConnection _driver;
    private readonly BmcAddress? _address;
    private readonly IReadOnlyList<IBmcCallFilter> _filters;

    public BmcCallPath(BmcConnection driver, BmcAddress? address, IReadOnlyList<IBmcCallFilter> filters)
    {
        _driver = driver;
        _address = address;
        _filters = filters;
        Connection = new BmcConnection(this, this, this, this) { Path = this };
    }

    /// <summary>The path as the capability slots that steps and jobs call.</summary>
    public BmcConnection Connection { get; }

    /// <summary>The same path with one more filter, outside the others.</summary>
    public BmcCallPath Around(IBmcCallFilter outermost) => new(_driver, _address, [outermost, .. _filters]);

    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Reads(BmcCapabilities.Power, "get_power", "get power"), () => _driver.Power.GetPowerAsync(deadline, ct), ct);

    public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Changes(BmcCapabilities.Power, "set_power", $"set power {Words(action)}"),
            () => _driver.Power.SetPowerAsync(action, deadline, ct), ct);

    public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Changes(BmcCapabilities.BootDevice, "set_boot_device",
                $"set boot device {Words(boot.Device)} ({boot.Mode}, {(boot.Persistent ? "persistent" : "next boot only")})"),
            () => _driver.Boot.SetBootDeviceAsync(boot, deadline, ct), ct);

    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Reads(BmcCapabilities.BootDevice, "get_boot_device", "get boot device"), () => _driver.Boot.GetBootDeviceAsync(deadline, ct), ct);

    public Task<BmcResult<Hosts.HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Reads(BmcCapabilities.Inventory, "read_inventory", "read inventory"), () => _driver.Inventory.ReadInventoryAsync(deadline, ct), ct);

    public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Changes(BmcCapabilities.VirtualMedia, "insert_media", "insert media"),
            () => _driver.VirtualMedia.InsertMediaAsync(image, deadline, ct), ct);

    public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) =>
        InvokeAsync(Changes(BmcCapabilities.VirtualMedia, "eject_media", "eject media"), () => _driver.VirtualMedia.EjectMediaAsync(deadline, ct), ct);

    private BmcCall Reads(BmcCapabilities capability, string operation, string description) =>
        new(_address, capability, operation, description, Changes: false);

    private BmcCall Changes(BmcCapabilities capability, string operation, string description) =>
        new(_address, capability, operation, description, Changes: true);

    private static string Words<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> toDriver, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        var next = toDriver;
        for (int i = _filters.Count - 1; i >= 0; i--)
        {
            var filter = _filters[i];
            var inner = next;
            next = () => filter.InvokeAsync(call, inner, ct);
        }
        return next();
    }
}
