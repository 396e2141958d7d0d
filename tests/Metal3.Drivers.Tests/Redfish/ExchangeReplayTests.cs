using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// Replays the exchanges recorded from a running sushy-tools emulator: the driver must send the recorded request
/// (method, path, body) and make the right sense of the recorded answer. Exchanges for features the driver does not
/// use (BIOS settings, secure boot, a PATCH on media that has actions) are covered by the model-parsing test only.
/// </summary>
public sealed class ExchangeReplayTests
{
    private const string Fake = "sushy-tools-fake-emulator";
    private const string Libvirt = "sushy-tools-libvirt-test-emulator";
    private const string FakeSystem = "/redfish/v1/Systems/27946b59-9e44-4fa7-8e91-f3527a1ef094";
    private const string LibvirtSystem = "/redfish/v1/Systems/6695eb01-f6a4-8304-79aa-97f2502e193f";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Uri BootIso = new("http://127.0.0.1:8081/boot.iso");

    private sealed record Run(RedfishTestServer Server, ExchangeReplay Replay, BmcConnection Bmc, IAsyncDisposable Driver) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Driver.DisposeAsync();
            await Server.DisposeAsync();
        }

        /// <summary>Every scripted exchange was played, and each write carried the recorded body.</summary>
        public void AssertSameRequests(bool compareBodies = true)
        {
            Assert.True(Replay.Unplayed.Count == 0, "not sent: " + string.Join(", ", Replay.Unplayed.Select(e => e.File)));
            foreach (var (recorded, sent) in Replay.Matched)
            {
                Assert.Equal(recorded.Method, sent.Method);
                if (compareBodies && recorded.Method != "GET")
                {
                    Assert.True(JsonNode.DeepEquals(recorded.RequestBody, sent.Body),
                        $"{recorded.File}: recorded {recorded.RequestBody?.ToJsonString()}, sent {sent.Body?.ToJsonString()}");
                }
            }
        }
    }

    private static async Task<Run> StartAsync(string set, string systemPath, string[] script, Action<MockupTree>? prepare = null,
        bool matchActionByName = false, string password = RedfishTestServer.Password)
    {
        var tree = MockupTree.Load($"{set}/mockup");
        prepare?.Invoke(tree);
        var server = await RedfishTestServer.StartAsync(tree);
        var replay = new ExchangeReplay(script.Select(f => RecordedExchange.Load(set, f))) { MatchActionByName = matchActionByName };
        replay.Attach(server);
        var driver = TestDriver.Create();
        var bmc = driver.Connect(TestDriver.Target(server.Address(systemPath), password: password));
        return new Run(server, replay, bmc, driver);
    }

    private static void SetPower(MockupTree tree, string system, string state) => tree.Get(system)!["PowerState"] = state;

    [Fact]
    public async Task A_401_from_the_emulator_is_reported_as_wrong_credentials_with_its_message()
    {
        await using var run = await StartAsync(Fake, FakeSystem, ["01-get-system-without-credentials.json"], password: "wrong");

        var power = await run.Bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.WrongCredentials, power.Outcome);
        Assert.Contains("Authorization required", power.Message);
        run.AssertSameRequests();
    }

    [Fact]
    public async Task Power_on_sends_the_recorded_reset_and_waits_out_the_late_state_change()
    {
        await using var run = await StartAsync(Fake, FakeSystem,
            ["02-reset-on.json", "03-get-system-right-after-reset-on.json", "04-get-system-after-power-settled-on.json"]);

        var on = await run.Bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);
        Assert.True(on.IsOk, on.ToString());
        await TestDriver.WaitForPowerAsync(run.Bmc, PowerState.On);

        run.AssertSameRequests();
    }

    [Fact]
    public async Task Hard_off_sends_the_recorded_force_off()
    {
        await using var run = await StartAsync(Fake, FakeSystem, ["05-reset-forceoff.json"], t => SetPower(t, FakeSystem, "On"));

        var off = await run.Bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);

        Assert.True(off.IsOk, off.ToString());
        run.AssertSameRequests();
    }

    [Theory]
    [InlineData("06-reset-unsupported-type.json", "Power state Bogus is not supported")]
    [InlineData("07-reset-missing-body-field.json", "argument of type 'NoneType' is not iterable")]
    public async Task A_refused_reset_is_a_bmc_error_carrying_the_emulator_message(string exchange, string message)
    {
        // The driver never sends a bogus or empty ResetType, so only the answer is replayed here.
        await using var run = await StartAsync(Fake, FakeSystem, [exchange]);

        var on = await run.Bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, on.Outcome);
        Assert.Contains(message, on.Message);
        Assert.Single(run.Server.Requests, r => r.Method == "POST");
        run.AssertSameRequests(compareBodies: false);
    }

    [Fact]
    public async Task A_one_time_uefi_pxe_boot_sends_the_recorded_patch_and_accepts_that_the_emulator_keeps_continuous()
    {
        await using var run = await StartAsync(Fake, FakeSystem,
            ["08-patch-boot-pxe-once-uefi.json", "09-get-system-after-boot-pxe-once-uefi.json"]);

        var boot = await run.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        run.AssertSameRequests();
        Assert.Null(run.Replay.Matched[0].Sent.Header("If-Match"));
    }

    [Fact]
    public async Task A_persistent_legacy_disk_boot_sends_the_recorded_patch()
    {
        await using var run = await StartAsync(Fake, FakeSystem,
            ["10-patch-boot-hdd-continuous-legacy.json", "11-get-system-after-boot-legacy.json"]);

        var boot = await run.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Disk, BootMode.Legacy, true), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        run.AssertSameRequests();
    }

    [Fact]
    public async Task Inserting_a_cd_finds_it_under_the_system_and_sends_the_recorded_insert()
    {
        await using var run = await StartAsync(Fake, FakeSystem,
            ["13-get-vmedia-collection.json", "14-vmedia-insert-cd.json", "15-get-vmedia-cd-inserted.json"]);

        var insert = await run.Bmc.VirtualMedia.InsertMediaAsync(BootIso, TestDriver.Deadline(), None);

        Assert.True(insert.IsOk, insert.ToString());
        run.AssertSameRequests();
    }

    [Fact]
    public async Task An_insert_the_emulator_cannot_download_is_a_bmc_error_with_its_message()
    {
        await using var run = await StartAsync(Fake, FakeSystem, ["16-vmedia-insert-404-image.json"], matchActionByName: true);

        var insert = await run.Bmc.VirtualMedia.InsertMediaAsync(new Uri("http://127.0.0.1:8081/missing.iso"), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, insert.Outcome);
        Assert.Contains("Cannot download virtual media: got error 404 from the server", insert.Message);
        run.AssertSameRequests(compareBodies: false);
    }

    [Fact]
    public async Task Ejecting_sends_the_recorded_eject_and_reads_the_media_back()
    {
        await using var run = await StartAsync(Fake, FakeSystem, ["18-vmedia-eject-cd.json", "19-get-vmedia-cd-ejected.json"], t =>
        {
            var cd = t.Get($"{FakeSystem}/VirtualMedia/Cd")!;
            cd["Image"] = BootIso.ToString();
            cd["Inserted"] = true;
        });

        var eject = await run.Bmc.VirtualMedia.EjectMediaAsync(TestDriver.Deadline(), None);

        Assert.True(eject.IsOk, eject.ToString());
        run.AssertSameRequests();
    }

    [Fact]
    public async Task A_system_addressed_by_name_is_read_through_the_emulator_redirect()
    {
        await using var run = await StartAsync(Libvirt, "/redfish/v1/Systems/test", ["01-get-system-by-name-redirects.json"]);

        var power = await run.Bmc.Power.GetPowerAsync(TestDriver.Deadline(), None);

        Assert.True(power.IsOk, power.ToString());
        Assert.Equal(PowerState.On, power.Value);
        run.AssertSameRequests();
    }

    [Fact]
    public async Task A_libvirt_uefi_pxe_boot_sends_the_recorded_patch()
    {
        await using var run = await StartAsync(Libvirt, LibvirtSystem, ["02-patch-boot-pxe-uefi.json", "03-get-system-uefi.json"]);

        var boot = await run.Bmc.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), TestDriver.Deadline(), None);

        Assert.True(boot.IsOk, boot.ToString());
        run.AssertSameRequests();
    }

    [Theory]
    [InlineData("04-patch-boot-cd-no-cdrom-device.json", BootDevice.Cd, BootMode.Uefi, "Target libvirt device Cd does not exist")]
    [InlineData("05-patch-boot-mode-legacy.json", BootDevice.Pxe, BootMode.Legacy, "Error changing boot mode")]
    public async Task A_boot_patch_libvirt_fails_with_500_is_a_bmc_error_and_is_not_repeated(string exchange, BootDevice device, BootMode mode, string message)
    {
        await using var run = await StartAsync(Libvirt, LibvirtSystem, [exchange]);

        var boot = await run.Bmc.Boot.SetBootDeviceAsync(new BootOverride(device, mode, false), TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, boot.Outcome);
        Assert.Contains(message, boot.Message);
        Assert.Single(run.Server.Requests, r => r.Method == "PATCH");
        run.AssertSameRequests(compareBodies: false);
    }

    [Fact]
    public async Task A_libvirt_force_off_then_on_sends_the_recorded_resets()
    {
        await using var run = await StartAsync(Libvirt, LibvirtSystem,
            ["15-reset-forceoff.json", "16-get-system-off.json", "17-reset-on.json"]);

        var off = await run.Bmc.Power.SetPowerAsync(PowerAction.HardOff, TestDriver.Deadline(), None);
        Assert.True(off.IsOk, off.ToString());
        await TestDriver.WaitForPowerAsync(run.Bmc, PowerState.Off);
        SetPower(run.Server.Tree, LibvirtSystem, "Off");
        var on = await run.Bmc.Power.SetPowerAsync(PowerAction.On, TestDriver.Deadline(), None);

        Assert.True(on.IsOk, on.ToString());
        run.AssertSameRequests();
    }

    [Fact]
    public async Task A_libvirt_insert_that_fails_with_500_is_a_bmc_error_with_its_message()
    {
        await using var run = await StartAsync(Libvirt, LibvirtSystem, ["18-vmedia-insert-unsupported-by-test-driver.json"]);

        var insert = await run.Bmc.VirtualMedia.InsertMediaAsync(BootIso, TestDriver.Deadline(), None);

        Assert.Equal(BmcOutcome.BmcError, insert.Outcome);
        Assert.Contains("Storage pool not found", insert.Message);
        // The recorded request had no WriteProtected; the driver adds it (read-only is what a boot CD is).
        var (recorded, sent) = Assert.Single(run.Replay.Matched);
        Assert.Equal(recorded.RequestBody!["Image"]!.GetValue<string>(), sent.Body!["Image"]!.GetValue<string>());
        Assert.True(sent.Body!["Inserted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Inspection_survives_the_storage_collection_answering_500()
    {
        await using var run = await StartAsync(Libvirt, LibvirtSystem, ["20-get-storage-500.json"],
            t => t.Get(LibvirtSystem)!["Storage"] = new JsonObject { ["@odata.id"] = $"{LibvirtSystem}/Storage" });

        var inventory = await run.Bmc.Inventory.ReadInventoryAsync(TestDriver.Deadline(), None);

        Assert.True(inventory.IsOk, inventory.ToString());
        Assert.Empty(inventory.Value.Storage);
        Assert.Equal(["aa:bb:cc:dd:ee:ff"], inventory.Value.Nics.Select(n => n.Mac));
        run.AssertSameRequests();
    }
}
