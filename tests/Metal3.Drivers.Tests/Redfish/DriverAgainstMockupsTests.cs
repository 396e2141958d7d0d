using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>The whole driver against every tree-shaped set, served as captured by <see cref="RedfishTestServer"/>.</summary>
public sealed class DriverAgainstMockupsTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [MemberData(nameof(Mockups.TreeSetData), MemberType = typeof(Mockups))]
    public async Task A_power_cycle_turns_the_host_off_and_on_again_and_repeating_on_sends_nothing(string set)
    {
        await using var server = await RedfishTestServer.StartAsync(set);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var off = await bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);
        Assert.True(off.IsOk, off.ToString());
        await TestDriver.WaitForPowerAsync(bmc, PowerState.Off);

        var on = await bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);
        Assert.True(on.IsOk, on.ToString());
        await TestDriver.WaitForPowerAsync(bmc, PowerState.On);

        var reboot = await bmc.Power.SetPowerAsync(PowerAction.Reboot, TestDriver.Deadline(), None);
        Assert.True(reboot.IsOk, reboot.ToString());

        server.ClearRequests();
        var again = await bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);
        Assert.True(again.IsOk, again.ToString());
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
    }

    [Theory]
    [MemberData(nameof(Mockups.TreeSetData), MemberType = typeof(Mockups))]
    public async Task A_one_time_pxe_override_is_written_and_reads_back(string set)
    {
        await using var server = await RedfishTestServer.StartAsync(set);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(server.Tree.FirstSystemPath())));

        var set1 = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, Persistent: false), TestDriver.Deadline(), None);
        Assert.True(set1.IsOk, set1.ToString());
        var read = await bmc.Boot.GetBootDeviceAsync(TestDriver.Deadline(), None);
        Assert.True(read.IsOk, read.ToString());
        Assert.Equal(BootDevice.Pxe, read.Value.Device);
        Assert.Equal(BootMode.Uefi, read.Value.Mode);

        var patch = Assert.Single(server.Requests, r => r.Method == "PATCH");
        Assert.Equal("Pxe", patch.Body!["Boot"]!["BootSourceOverrideTarget"]!.GetValue<string>());
        Assert.Equal("Once", patch.Body!["Boot"]!["BootSourceOverrideEnabled"]!.GetValue<string>());
        bool hasETag = server.Tree.Get(server.Tree.FirstSystemPath())!["@odata.etag"] is not null;
        Assert.Equal(hasETag, patch.Header("If-Match") is not null);
    }

    [Theory]
    [MemberData(nameof(Mockups.TreeSetData), MemberType = typeof(Mockups))]
    public async Task A_virtual_cd_is_inserted_and_ejected_where_the_bmc_has_one(string set)
    {
        var expected = ExpectedInventory.BySet[set];
        await using var server = await RedfishTestServer.StartAsync(set);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));
        var image = new Uri("http://127.0.0.1:8081/boot.iso");

        var inserted = await bmc.VirtualMedia.InsertMediaAsync(image, TestDriver.Deadline(), None);
        if (expected.VirtualMediaPath is null)
        {
            Assert.Equal(BmcOutcome.Unsupported, inserted.Outcome);
            return;
        }
        Assert.True(inserted.IsOk, inserted.ToString());
        var cd = server.Tree.Get(expected.VirtualMediaPath)!;
        Assert.Equal(image.ToString(), cd["Image"]!.GetValue<string>());

        var again = await bmc.VirtualMedia.InsertMediaAsync(image, TestDriver.Deadline(), None);
        Assert.True(again.IsOk, again.ToString());

        var ejected = await bmc.VirtualMedia.EjectMediaAsync(TestDriver.Deadline(), None);
        Assert.True(ejected.IsOk, ejected.ToString());
        Assert.False(cd["Inserted"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(Mockups.TreeSetData), MemberType = typeof(Mockups))]
    public async Task Inventory_reports_what_the_payloads_say(string set)
    {
        var expected = ExpectedInventory.BySet[set];
        await using var server = await RedfishTestServer.StartAsync(set);
        await using var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var read = await bmc.Inventory.ReadInventoryAsync(TestDriver.Deadline(), None);

        Assert.True(read.IsOk, read.ToString());
        var hw = read.Value;
        Assert.Equal(expected.Manufacturer, hw.SystemVendor?.Manufacturer);
        Assert.Equal(expected.Model, hw.SystemVendor?.ProductName);
        Assert.Equal(expected.Serial, hw.SystemVendor?.SerialNumber);
        Assert.Equal(expected.BiosVersion, hw.Firmware?.BiosVersion);
        Assert.Equal(expected.CpuCount, hw.Cpu?.Count);
        Assert.Equal(expected.CpuModel, hw.Cpu?.Model);
        Assert.Equal(expected.RamMebibytes, hw.RamMebibytes);
        Assert.Equal(expected.Macs.Order(), hw.Nics.Select(n => n.Mac).Order());
        Assert.Equal(expected.Drives.Length, hw.Storage.Count);
        foreach (var (want, got) in expected.Drives.Zip(hw.Storage))
        {
            Assert.Equal(want.Name, got.Name);
            Assert.Equal(want.SizeBytes, got.SizeBytes);
            Assert.Equal(want.Model, got.Model);
            Assert.Equal(want.Serial, got.SerialNumber);
            if (want.Rotational is not null) Assert.Equal(want.Rotational, got.Rotational);
        }
    }

    [Theory]
    [MemberData(nameof(Mockups.TreeSetData), MemberType = typeof(Mockups))]
    public async Task The_only_system_is_found_without_a_path_and_a_session_is_used_where_the_bmc_has_sessions(string set)
    {
        await using var server = await RedfishTestServer.StartAsync(set);
        var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address()));

        var power = await bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);
        Assert.True(power.IsOk, power.ToString());
        Assert.Equal(server.SessionsEnabled, server.OpenSessions.Count == 1);

        await driver.DisposeAsync();
        Assert.Empty(server.OpenSessions);
    }
}
