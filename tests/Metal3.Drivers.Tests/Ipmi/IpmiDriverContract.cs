using System.Collections.Concurrent;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Tests.Ipmi.Simulators;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>
/// The same integration suite against each simulator: every state change the driver makes is checked with the
/// simulator's own record and with ipmitool. The simulators are real processes on loopback ports; when one is not
/// installed the tests fail, they never skip.
/// </summary>
public abstract class IpmiDriverContract
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);
    private readonly ConcurrentQueue<byte[]> _sent = new();

    protected abstract Task<SimulatedBmc> StartBmcAsync();

    private IpmiDriver NewDriver(TimeSpan? keepAlive = null) => new(new IpmiOptions
    {
        RetransmitTimeout = TimeSpan.FromMilliseconds(300),
        MaxAttempts = 3,
        KeepAliveInterval = keepAlive ?? TimeSpan.FromSeconds(20),
        RequestObserver = m => _sent.Enqueue(m.ToArray()),
    });

    private int Sent(byte netFn, byte command) => _sent.Count(m => m[1] >> 2 == netFn && m[5] == command);

    private static DateTimeOffset Deadline() => DateTimeOffset.UtcNow + Budget;

    [Fact]
    public async Task Power_on_then_off_changes_the_machine_and_ipmitool_agrees()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var power = driver.Connect(bmc.Target()).Power;

        Assert.Equal(BmcOutcome.Ok, (await power.SetPowerAsync(PowerAction.On, Deadline(), default)).Outcome);
        Assert.True(bmc.RecordedPowerOn);
        Assert.True(await Ipmitool.PowerIsOnAsync(bmc));
        Assert.Equal(PowerState.On, (await power.GetPowerAsync(Deadline(), default)).Value);

        Assert.Equal(BmcOutcome.Ok, (await power.SetPowerAsync(PowerAction.HardOff, Deadline(), default)).Outcome);
        Assert.False(bmc.RecordedPowerOn);
        Assert.False(await Ipmitool.PowerIsOnAsync(bmc));
        Assert.Equal(PowerState.Off, (await power.GetPowerAsync(Deadline(), default)).Value);
    }

    [Fact]
    public async Task Power_on_when_already_on_succeeds_without_a_chassis_control()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var power = driver.Connect(bmc.Target()).Power;
        Assert.True((await power.SetPowerAsync(PowerAction.On, Deadline(), default)).IsOk);
        _sent.Clear();

        var again = await power.SetPowerAsync(PowerAction.On, Deadline(), default);

        Assert.True(again.IsOk, again.ToString());
        Assert.DoesNotContain(_sent, m => m[1] >> 2 == 0x00 && m[5] == 0x02); // no Chassis Control went out
        Assert.True(await Ipmitool.PowerIsOnAsync(bmc));
    }

    [Fact]
    public async Task Power_cycle_leaves_a_running_machine_on()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var power = driver.Connect(bmc.Target()).Power;
        Assert.True((await power.SetPowerAsync(PowerAction.On, Deadline(), default)).IsOk);
        _sent.Clear();

        var cycled = await power.SetPowerAsync(PowerAction.PowerCycle, Deadline(), default);

        Assert.True(cycled.IsOk, cycled.ToString());
        Assert.Contains(_sent, m => m[1] >> 2 == 0x00 && m[5] == 0x02 && m[6] == 0x02); // Chassis Control: power cycle
        Assert.True(await WaitUntilAsync(async () => await Ipmitool.PowerIsOnAsync(bmc)));
        Assert.Equal(PowerState.On, (await power.GetPowerAsync(Deadline(), default)).Value);
    }

    [Fact]
    public async Task Boot_device_pxe_in_uefi_mode_is_set_and_read_back_with_the_efi_bit_on_the_wire()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var boot = driver.Connect(bmc.Target()).Boot;

        var set = await boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, Persistent: false), Deadline(), default);

        Assert.True(set.IsOk, set.ToString());
        // Set System Boot Options, boot flags: valid + EFI, device selector 0001 (PXE)
        byte[] request = Assert.Single(_sent, m => m[1] >> 2 == 0x00 && m[5] == 0x08);
        Assert.Equal([0x05, 0xA0, 0x04, 0x00, 0x00, 0x00], request[6..12]);
        var read = await boot.GetBootDeviceAsync(Deadline(), default);
        Assert.True(read.IsOk, read.ToString());
        Assert.Equal(BootDevice.Pxe, read.Value.Device); // the mode is not compared: both simulators drop the EFI bit
        Assert.Equal("Force PXE", await Ipmitool.BootDeviceSelectorAsync(bmc));
        Assert.Contains(bmc.RecordedBootDevice, new[] { "pxe", "network" });
    }

    [Fact]
    public async Task Boot_device_disk_persistent_is_set_and_read_back()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var boot = driver.Connect(bmc.Target()).Boot;

        var set = await boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Legacy, Persistent: true), Deadline(), default);

        Assert.True(set.IsOk, set.ToString());
        byte[] request = Assert.Single(_sent, m => m[1] >> 2 == 0x00 && m[5] == 0x08);
        Assert.Equal([0x05, 0xC0, 0x08], request[6..9]); // valid + persistent, legacy; selector 0010 (hard drive)
        var read = await boot.GetBootDeviceAsync(Deadline(), default);
        Assert.Equal(BootDevice.Disk, read.Value?.Device);
        Assert.Contains("Hard-Drive", await Ipmitool.BootDeviceSelectorAsync(bmc));
    }

    [Fact]
    public async Task Wrong_password_is_reported_as_wrong_credentials()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();

        var result = await driver.Connect(bmc.Target(password: "not-the-password")).Power.GetPowerAsync(Deadline(), default);

        Assert.Equal(BmcOutcome.WrongCredentials, result.Outcome);
        Assert.Contains("RAKP", result.Message);
    }

    [Fact]
    public async Task A_stopped_bmc_is_reported_as_unreachable_within_the_deadline()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var power = driver.Connect(bmc.Target()).Power;
        Assert.True((await power.GetPowerAsync(Deadline(), default)).IsOk);

        bmc.Stop();
        var started = DateTimeOffset.UtcNow;
        var result = await power.GetPowerAsync(started + TimeSpan.FromSeconds(5), default);

        Assert.Equal(BmcOutcome.Unreachable, result.Outcome);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(7), "the deadline was not honoured");
    }

    [Fact]
    public async Task One_session_serves_many_calls_and_a_restarted_bmc_gets_a_new_one()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var power = driver.Connect(bmc.Target()).Power;
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await power.GetPowerAsync(Deadline(), default)).IsOk);
        }
        Assert.Equal(1, Sent(0x06, 0x3B)); // one Set Session Privilege Level: one session for three calls

        bmc.Stop();
        await bmc.LaunchAsync(); // the BMC rebooted: our session is gone on its side
        var after = await power.GetPowerAsync(Deadline(), default);

        Assert.True(after.IsOk, after.ToString());
        Assert.Equal(2, Sent(0x06, 0x3B));
    }

    [Fact]
    public async Task An_idle_session_is_kept_alive_with_get_device_id()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver(keepAlive: TimeSpan.FromSeconds(1));
        var power = driver.Connect(bmc.Target()).Power;
        Assert.True((await power.GetPowerAsync(Deadline(), default)).IsOk);

        Assert.True(await WaitUntilAsync(() => Task.FromResult(Sent(0x06, 0x01) > 0)), "no keep-alive was sent");

        Assert.True((await power.GetPowerAsync(Deadline(), default)).IsOk);
        Assert.Equal(1, Sent(0x06, 0x3B)); // still the first session
    }

    [Fact]
    public async Task Concurrent_calls_to_one_bmc_do_not_interleave_and_all_succeed()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var connection = driver.Connect(bmc.Target());

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => connection.Power.GetPowerAsync(Deadline(), default)));

        Assert.All(results, r => Assert.True(r.IsOk, r.ToString()));
        Assert.Equal(1, Sent(0x06, 0x3B));
    }

    [Fact]
    public async Task Uefi_http_boot_is_unsupported_over_ipmi_and_inventory_too()
    {
        await using var bmc = await StartBmcAsync();
        await using var driver = NewDriver();
        var connection = driver.Connect(bmc.Target());

        var http = await connection.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.UefiHttp, BootMode.Uefi, false), Deadline(), default);
        var inventory = await connection.Inventory.ReadInventoryAsync(Deadline(), default);

        Assert.Equal(BmcOutcome.Unsupported, http.Outcome);
        Assert.Equal(BmcOutcome.Unsupported, inventory.Outcome);
    }

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Budget;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}

/// <summary>The contract against OpenIPMI's ipmi_sim.</summary>
public sealed class IpmiDriverAgainstIpmiSimTests : IpmiDriverContract
{
    protected override async Task<SimulatedBmc> StartBmcAsync() => await IpmiSimBmc.StartAsync();
}

/// <summary>The contract against a pyghmi BMC, an independent implementation.</summary>
public sealed class IpmiDriverAgainstPyghmiTests : IpmiDriverContract
{
    protected override async Task<SimulatedBmc> StartBmcAsync() => await PyghmiBmc.StartAsync();
}
