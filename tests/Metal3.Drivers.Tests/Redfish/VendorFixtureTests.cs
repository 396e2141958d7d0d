using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// The flat bmclib fixtures (Lenovo XCC, Dell iDRAC 9 R660, Supermicro X12) mounted at their own <c>@odata.id</c>s,
/// for the quirks the tree-shaped sets do not show.
/// </summary>
public sealed class VendorFixtureTests
{
    private const string Lenovo = "bmclib-fixtures/providers/lenovo/fixtures/v1";
    private const string Dell = "bmclib-fixtures/internal/redfishwrapper/fixtures/dell";
    private const string Wrapper = "bmclib-fixtures/internal/redfishwrapper/fixtures";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Uri BootIso = new("http://127.0.0.1:8081/boot.iso");

    private static async Task<(RedfishTestServer Server, Metal3.Drivers.Redfish.RedfishDriver Driver, BmcConnection Bmc)> StartAsync(MockupTree tree)
    {
        var server = await RedfishTestServer.StartAsync(tree);
        var driver = TestDriver.Create();
        return (server, driver, driver.Connect(TestDriver.Target(server.Address())));
    }

    [Fact]
    public async Task Lenovo_xcc_offers_no_continuous_override_so_a_persistent_boot_is_unsupported_and_nothing_is_written()
    {
        var (server, driver, bmc) = await StartAsync(MockupTree.LoadFlat(Lenovo, "system.lenovo.json"));
        await using var _ = server;
        await using var __ = driver;

        var persistent = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Uefi, true), TestDriver.Deadline(), None);
        var once = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.Unsupported, persistent.Outcome);
        Assert.Contains("Once, Disabled", persistent.Message);
        Assert.True(once.IsOk, once.ToString());
        Assert.Single(server.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Lenovo_xcc_virtual_media_without_actions_is_mounted_and_unmounted_by_patch()
    {
        var (server, driver, bmc) = await StartAsync(MockupTree.LoadFlat(Lenovo, "system.lenovo.json"));
        await using var _ = server;
        await using var __ = driver;

        var insert = await bmc.VirtualMedia.InsertMediaAsync(BootIso, TestDriver.Deadline(), None);
        Assert.True(insert.IsOk, insert.ToString());
        var mount = Assert.Single(server.Requests, r => r.Method == "PATCH");
        Assert.Equal("/redfish/v1/Managers/1/VirtualMedia/CD", mount.Path);
        Assert.Equal(BootIso.ToString(), mount.Body!["Image"]!.GetValue<string>());
        Assert.True(mount.Body!["Inserted"]!.GetValue<bool>());

        var eject = await bmc.VirtualMedia.EjectMediaAsync(TestDriver.Deadline(), None);
        Assert.True(eject.IsOk, eject.ToString());
        Assert.False(server.Tree.Get("/redfish/v1/Managers/1/VirtualMedia/CD")!["Inserted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Lenovo_xcc_inventory_reports_the_system_and_its_nic()
    {
        var (server, driver, bmc) = await StartAsync(MockupTree.LoadFlat(Lenovo, "system.lenovo.json"));
        await using var _ = server;
        await using var __ = driver;

        var read = await bmc.Inventory.ReadInventoryAsync(TestDriver.Deadline(), None);

        Assert.True(read.IsOk, read.ToString());
        Assert.Equal(new SystemVendor("Lenovo", "ThinkSystem SR650", "J100ABCD"), read.Value.SystemVendor);
        Assert.Equal("TEE142M-2.41", read.Value.Firmware!.BiosVersion);
        Assert.Equal(["7c:d3:0a:44:55:66"], read.Value.Nics.Select(n => n.Mac));
    }

    [Fact]
    public async Task Dell_idrac_virtual_media_under_the_system_is_inserted_with_a_transfer_protocol()
    {
        var (server, driver, bmc) = await StartAsync(MockupTree.LoadFlat(Dell, "system.embedded.1.virtualmedia.json"));
        await using var _ = server;
        await using var __ = driver;

        var insert = await bmc.VirtualMedia.InsertMediaAsync(BootIso, TestDriver.Deadline(), None);

        Assert.True(insert.IsOk, insert.ToString());
        var post = Assert.Single(server.Requests, r => r.Method == "POST" && r.Path.EndsWith("InsertMedia", StringComparison.Ordinal));
        Assert.Equal("/redfish/v1/Systems/System.Embedded.1/VirtualMedia/2/Actions/VirtualMedia.InsertMedia", post.Path);
        Assert.Equal("HTTP", post.Body!["TransferProtocolType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dell_idrac_without_a_declared_reset_action_is_powered_on_at_the_standard_target()
    {
        var (server, driver, bmc) = await StartAsync(MockupTree.LoadFlat(Dell, "system.embedded.1.virtualmedia.json"));
        await using var _ = server;
        await using var __ = driver;

        var on = await bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);

        Assert.True(on.IsOk, on.ToString());
        var post = Assert.Single(server.Requests, r => r.Method == "POST" && r.Path.Contains("Reset", StringComparison.Ordinal));
        Assert.Equal("/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset", post.Path);
        await TestDriver.WaitForPowerAsync(bmc, PowerState.On);
    }

    private static MockupTree Supermicro()
    {
        // Only the X12 (Redfish 1.14.0) service root, collection and system, plus its manager.
        var tree = MockupTree.LoadFlat(Wrapper, "smc_1.14.0_serviceroot.json", "smc_1.14.0_systems.json", "smc_1.14.0_systems_1.json");
        return tree;
    }

    [Fact]
    public async Task Supermicro_boots_its_virtual_cd_as_usb_cd()
    {
        var (server, driver, bmc) = await StartAsync(Supermicro());
        await using var _ = server;
        await using var __ = driver;

        var boot = await bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Cd, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        var patch = Assert.Single(server.Requests, r => r.Method == "PATCH");
        Assert.Equal("UsbCd", patch.Body!["Boot"]!["BootSourceOverrideTarget"]!.GetValue<string>());
        var read = await bmc.Boot.GetBootDeviceAsync(TestDriver.Deadline(), None);
        Assert.True(read.IsOk, read.ToString());
        Assert.Equal(BootDevice.Cd, read.Value.Device);
    }

    [Fact]
    public async Task Supermicro_soft_off_uses_the_graceful_shutdown_hidden_in_its_run_together_value()
    {
        var tree = Supermicro();
        var (server, driver, bmc) = await StartAsync(tree);
        await using var _ = server;
        await using var __ = driver;
        // The server checks the reset against the list as captured, so accept the two real names the firmware meant.
        tree.Get("/redfish/v1/Systems/1")!["Actions"]!["#ComputerSystem.Reset"]!["ResetType@Redfish.AllowableValues"]!.AsArray().Add("GracefulShutdown");

        var off = await bmc.Power.SetPowerAsync(PowerAction.SoftOff, TestDriver.Deadline(), None);

        Assert.True(off.IsOk, off.ToString());
        var post = Assert.Single(server.Requests, r => r.Method == "POST" && r.Path.EndsWith("ComputerSystem.Reset", StringComparison.Ordinal));
        Assert.Equal("GracefulShutdown", post.Body!["ResetType"]!.GetValue<string>());
    }
}
