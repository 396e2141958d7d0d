using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Core.Tests.Bmc;

public class BmcCallPathTests
{
    private static readonly DateTimeOffset Deadline = DateTimeOffset.MaxValue;

    [Fact]
    public async Task Every_capability_call_goes_through_every_filter_outermost_first()
    {
        var seen = new List<string>();
        var bmc = Path(new Recording("outer", seen), new Recording("inner", seen));

        await bmc.Power.GetPowerAsync(Deadline, default);
        await bmc.Power.SetPowerAsync(PowerAction.Reboot, Deadline, default);
        await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, Persistent: false), Deadline, default);
        await bmc.Boot.GetBootDeviceAsync(Deadline, default);
        await bmc.Inventory.ReadInventoryAsync(Deadline, default);
        await bmc.VirtualMedia.InsertMediaAsync(new Uri("http://images/agent.iso"), Deadline, default);
        await bmc.VirtualMedia.EjectMediaAsync(Deadline, default);

        string[] operations = ["get_power", "set_power", "set_boot_device", "get_boot_device", "read_inventory", "insert_media", "eject_media"];
        Assert.Equal(operations.SelectMany(o => new[] { $"outer {o}", $"inner {o}" }), seen);
    }

    [Fact]
    public async Task A_call_says_what_it_does_with_its_arguments()
    {
        var calls = new List<BmcCall>();
        var bmc = Path(new Recording("f", [], calls));

        await bmc.Power.SetPowerAsync(PowerAction.HardOff, Deadline, default);
        await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Legacy, Persistent: true), Deadline, default);
        await bmc.Power.GetPowerAsync(Deadline, default);

        Assert.Equal(["set power hardoff", "set boot device disk (Legacy, persistent)", "get power"], calls.Select(c => c.Description));
        Assert.Equal([true, true, false], calls.Select(c => c.Changes));
        Assert.Equal([BmcCapabilities.Power, BmcCapabilities.BootDevice, BmcCapabilities.Power], calls.Select(c => c.Capability));
        Assert.All(calls, c => Assert.Equal("bmc-1", c.Address!.Host));
    }

    [Fact]
    public async Task A_filter_added_later_joins_the_same_path_outside_the_others()
    {
        var seen = new List<string>();
        var bmc = Path(new Recording("registry", seen)).Through(new Recording("timeline", seen));

        var power = await bmc.Power.GetPowerAsync(Deadline, default);

        Assert.True(power.IsOk);
        Assert.Equal(PowerState.On, power.Value);
        Assert.Equal(["timeline get_power", "registry get_power"], seen);
        Assert.IsType<BmcCallPath>(bmc.Power);
    }

    [Fact]
    public async Task A_connection_no_driver_made_gets_a_path_without_an_address()
    {
        var calls = new List<BmcCall>();
        var bmc = Unsupported.Connection("no way in").Through(new Recording("timeline", [], calls));

        var power = await bmc.Power.GetPowerAsync(Deadline, default);

        Assert.Equal(BmcOutcome.Unsupported, power.Outcome);
        Assert.Null(Assert.Single(calls).Address);
    }

    [Fact]
    public async Task A_filter_can_answer_for_the_driver_with_a_failure_of_the_calls_own_type()
    {
        var bmc = Path(new Refusing());

        var power = await bmc.Power.GetPowerAsync(Deadline, default);
        var set = await bmc.Power.SetPowerAsync(PowerAction.On, Deadline, default);

        Assert.Equal((BmcOutcome.Unreachable, "refused get power"), (power.Outcome, power.Message));
        Assert.Equal(BmcResult.Fail(BmcOutcome.Unreachable, "refused set power on"), set);
    }

    private static BmcConnection Path(params IBmcCallFilter[] filters)
    {
        Assert.True(BmcAddress.TryParse("ipmi://bmc-1", out var address, out _));
        var machine = new AlwaysOn();
        return new BmcCallPath(new BmcConnection(machine, machine, machine, machine), address, filters).Connection;
    }

    private sealed class Recording(string name, List<string> seen, List<BmcCall>? calls = null) : IBmcCallFilter
    {
        public Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
            where TResult : IBmcResult<TResult>
        {
            seen.Add($"{name} {call.Operation}");
            calls?.Add(call);
            return next();
        }
    }

    private sealed class Refusing : IBmcCallFilter
    {
        public Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
            where TResult : IBmcResult<TResult> =>
            Task.FromResult(TResult.Fail(BmcOutcome.Unreachable, $"refused {call.Description}"));
    }

    /// <summary>A machine that is on and answers everything.</summary>
    private sealed class AlwaysOn : IPowerControl, IBootDeviceControl, IInventoryReader, IVirtualMediaControl
    {
        public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
            Task.FromResult(BmcResult<PowerState>.Ok(PowerState.On));
        public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(BmcResult.Ok());
        public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(BmcResult.Ok());
        public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
            Task.FromResult(BmcResult<BootOverride>.Ok(new BootOverride(BootDevice.Disk, BootMode.Uefi, Persistent: true)));
        public Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
            Task.FromResult(BmcResult<HardwareDetails>.Ok(new HardwareDetails()));
        public Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(BmcResult.Ok());
        public Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct) => Task.FromResult(BmcResult.Ok());
    }
}
