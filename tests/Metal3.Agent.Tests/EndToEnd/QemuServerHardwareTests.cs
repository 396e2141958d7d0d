using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Metal3.Agent.Tests.Support;
using Metal3.Server.Tests.Support;
using Xunit.Abstractions;

namespace Metal3.Agent.Tests.EndToEnd;

/// <summary>
/// The ramdisk on server-like hardware rather than virtio: QEMU's models of a VMware NIC, an Intel server NIC, an LSI
/// MegaRAID controller and an LSI parallel SCSI controller, each with its own driver (docs/hardware.md). One boot, as
/// short as it can be: the host has no image, so the test ends when the agent's inspection reaches the daemon.
/// </summary>
public sealed class QemuServerHardwareTests(ITestOutputHelper output)
{
    private const string VmxnetMac = "52:54:00:a6:e7:11";
    private const string E1000eMac = "52:54:00:a6:e7:12";
    private const long RaidDiskSize = 96L << 20;
    private const long ScsiDiskSize = 160L << 20;

    [Fact]
    public async Task The_agent_finds_both_nics_and_both_disks_behind_vmxnet3_e1000e_megasas_and_lsi53c895a()
    {
        string ramdisk = await AgentRamdisk.DirectoryAsync();
        string dataDir = Path.Combine(Path.GetTempPath(), $"metal3-agent-hw-{Guid.NewGuid():N}");
        // Patient with the daemon's start: the machine takes longer to boot under emulation, so waiting costs nothing.
        await using var daemon = await DaemonProcess.StartAsync(new DaemonOptions(dataDir)
        {
            Settings = ["--Metal3:Agent:Enabled", "true", "--Metal3:Agent:HeartbeatInterval", "00:00:02"],
            ReadyWithin = TimeSpan.FromMinutes(3),
        });
        using var api = daemon.Client();
        using var raidDisk = TestDisk.Create(RaidDiskSize, loop: false);
        using var scsiDisk = TestDisk.Create(ScsiDiskSize, loop: false);
        var enroll = await api.PostAsync("/api/v1/hosts", Http.Json($$"""
            {"name": "vm-hw", "bootMacAddress": "{{VmxnetMac}}", "bmc": {"address": "fake://vm-hw?agent=ramdisk"}, "online": true}
            """));
        Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);

        // Two user-mode networks, each reaching the daemon on the host's loopback (10.0.2.2, 10.0.3.2).
        int daemonPort = new Uri(daemon.Url).Port;
        var clock = Stopwatch.StartNew();
        JsonNode hardware;
        using (var vm = QemuMachine.Start(ramdisk, $"metal3.api=http://10.0.2.2:{daemonPort}",
        [
            "-netdev", "user,id=n0", "-device", $"vmxnet3,netdev=n0,mac={VmxnetMac}",
            "-netdev", "user,id=n1,net=10.0.3.0/24", "-device", $"e1000e,netdev=n1,mac={E1000eMac}",
            "-device", "megasas,id=raid", "-drive", $"if=none,id=d0,file={raidDisk.File},format=raw",
            "-device", "scsi-hd,drive=d0,bus=raid.0",
            "-device", "lsi53c895a,id=scsi", "-drive", $"if=none,id=d1,file={scsiDisk.File},format=raw",
            "-device", "scsi-hd,drive=d1,bus=scsi.0",
        ]))
        {
            JsonNode? found = null;
            await Eventually.Until(async () => (found = await HardwareAsync(api)) is not null, TimeSpan.FromMinutes(12),
                async () => $"the inspection: {await api.GetStringAsync("/api/v1/hosts/vm-hw")}\n--- serial:\n{vm.Serial}");
            hardware = found!;
            output.WriteLine($"inspected {clock.Elapsed:mm\\:ss} after QEMU started");
            output.WriteLine(vm.Serial);
        }

        var nics = hardware["nics"]!.AsArray().Select(n => ((string?)n!["mac"], (string?)n["driver"])).ToList();
        Assert.Contains((VmxnetMac, "vmxnet3"), nics);
        Assert.Contains((E1000eMac, "e1000e"), nics);
        var disks = hardware["storage"]!.AsArray().Select(d => (long)d!["sizeBytes"]!).Order().ToList();
        Assert.Equal(new[] { RaidDiskSize, ScsiDiskSize }, disks);
    }

    /// <summary>The host's inspected hardware, once the agent's inspection has reached the daemon.</summary>
    private static async Task<JsonNode?> HardwareAsync(HttpClient api)
    {
        var host = await Http.JsonOf(await api.GetAsync("/api/v1/hosts/vm-hw"));
        if ((string?)host["status"]!["errorType"] is { } error)
        {
            throw new InvalidOperationException($"the host failed ({error}): {host.ToJsonString()}");
        }
        return host["status"]!["hardware"] is { } hardware && hardware["storage"] is JsonArray ? hardware : null;
    }
}
