using System.Net;
using System.Text.Json.Nodes;
using Metal3.Agent.Tests.Support;
using Metal3.E2E.Lab;
using Metal3.Pxe.Tests.Support;
using Metal3.Server.Tests.Support;

namespace Metal3.E2E;

/// <summary>
/// The whole flow with nothing of metal3 faked, as an operator's script drives it over plain HTTP: two QEMU machines
/// (legacy BIOS and UEFI, at once) behind their own ipmi_sim BMCs go from powered off through registering, inspecting
/// (network boot through metal3's DHCP, TFTP and iPXE script into the agent ramdisk), preparing, available,
/// provisioning (the agent writes the zstd image served by metal3's provisioning listener) to provisioned, and boot
/// their own disk; then deprovisioning and deletion.
/// </summary>
public sealed class ProvisioningFlowTests
{
    private static readonly TimeSpan Phase = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task Bios_and_uefi_machines_go_from_powered_off_to_running_their_image_and_back()
    {
        var image = await DiskImage.GetAsync();
        string ramdisk = await AgentRamdisk.DirectoryAsync();
        var postgres = await PostgresServer.GetAsync();
        string connection = (await postgres.CreateDatabaseAsync("e2e")).Replace("Host=127.0.0.1", $"Host={postgres.SocketDirectory}");
        using var net = NetworkNamespace.Create();
        string work = Directory.CreateTempSubdirectory("metal3-e2e-").FullName;
        var machines = new List<LabMachine>();
        DaemonProcess? daemon = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        try
        {
            string images = Directory.CreateDirectory(Path.Combine(work, "images")).FullName;
            File.Copy(image.Zstd, Path.Combine(images, "disk.raw.zst"));
            machines.Add(await LabMachine.StartAsync(net, work, "bios-0", "52:54:00:e2:e0:10", Firmware.Bios));
            machines.Add(await LabMachine.StartAsync(net, work, "uefi-0", "52:54:00:e2:e0:11", Firmware.Uefi));
            string[] settings =
            [
                "--Metal3:Pxe:Interface", "br0",
                "--Metal3:Pxe:Address", NetworkNamespace.ServerAddress,
                "--Metal3:Pxe:HttpUrl", LabDaemon.ProvisioningUrl,
                "--Metal3:Pxe:Dhcp:Mode", "full",
                "--Metal3:Pxe:Dhcp:RangeStart", "198.18.0.100",
                "--Metal3:Pxe:Dhcp:RangeEnd", "198.18.0.199",
                "--Metal3:Pxe:Dhcp:SubnetMask", "255.255.255.0",
                "--Metal3:Pxe:AgentKernel", Path.Combine(ramdisk, "vmlinuz"),
                "--Metal3:Pxe:AgentInitramfs", Path.Combine(ramdisk, "initramfs"),
                "--Metal3:Pxe:AgentKernelArgs", "console=ttyS0",
                "--Metal3:Pxe:ImagesDir", images,
                "--Metal3:Agent:Enabled", "true",
                // The lab's BMC comes back at once (step 6): probe it after 5 s rather than a rack's 40.
                "--Metal3:Jobs:BmcProbeAfter", "00:00:05",
            ];
            daemon = await LabDaemon.StartAsync(net.Name, Path.Combine(work, "daemon"), connection, settings);
            using var api = daemon.Client();   // the Unix socket's path, so it outlives a restart of the daemon

            // 1. Enroll, as curl would.
            foreach (var m in machines)
            {
                string bootMode = m.Firmware == Firmware.Uefi ? "UEFI" : "legacy";
                string body = $$$"""
                    {"name": "{{{m.Name}}}", "bootMacAddress": "{{{m.Mac}}}", "online": true, "bootMode": "{{{bootMode}}}",
                     "bmc": {"address": "{{{m.BmcAddress}}}", "username": "{{{LabMachine.BmcUser}}}", "password": "{{{LabMachine.BmcPassword}}}"}}
                    """;
                var enrolled = await api.PostAsync("/api/v1/hosts", Http.Json(body));
                Assert.True(enrolled.StatusCode == HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
            }

            // 2-3. registering → inspecting (network boot into the agent) → preparing → available.
            await AllReach(api, daemon, machines, "available");
            phases.Add($"enrolled → available: {clock.Elapsed.TotalSeconds:F0} s");
            foreach (var m in machines)
            {
                var hw = (await Host(api, m.Name))["status"]!["hardware"]!;
                Assert.Equal(LabMachine.Cpus, hw["cpu"]!["count"]!.GetValue<int>());
                long ram = hw["ramMebibytes"]!.GetValue<long>();
                Assert.InRange(ram, LabMachine.MemoryMebibytes - 256, LabMachine.MemoryMebibytes);
                Assert.Contains(hw["storage"]!.AsArray(), d => d!["sizeBytes"]!.GetValue<long>() == LabMachine.DiskBytes);
                Assert.Contains(hw["nics"]!.AsArray(), n => string.Equals(n!["mac"]!.GetValue<string>(), m.Mac, StringComparison.OrdinalIgnoreCase));
            }

            // 4. Provision: the agent streams, decompresses, verifies and writes; the machine boots its disk. The BIOS
            // machine is first given a wrong checksum: a provisioning error with its disk wiped, until the spec is fixed.
            var provisionStarted = clock.Elapsed;
            var wrong = machines[0];
            foreach (var m in machines)
            {
                var patched = await api.PatchAsync($"/api/v1/hosts/{m.Name}",
                    Http.Json(ProvisionPatch(m, m == wrong ? new string('0', 64) : image.ZstdSha256), "application/merge-patch+json"));
                Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
            }
            // 4a. The daemon dies (SIGKILL) as the UEFI machine's agent starts the deploy; the next start carries on.
            var survivor = machines[1];
            await Wait.Until(() => EventsAsync(api, survivor.Name).Result.Any(e => e.StartsWith("AgentCommandFetched", StringComparison.Ordinal) && e.EndsWith("(deploy)", StringComparison.Ordinal)),
                Phase, () => $"{survivor.Name}'s agent never fetched its deploy command:\n{daemon.LogTail()}", poll: TimeSpan.FromMilliseconds(250));
            daemon.Kill();
            await daemon.DisposeAsync();
            daemon = null;
            daemon = await LabDaemon.StartAsync(net.Name, Path.Combine(work, "daemon"), connection, settings);
            phases.Add($"daemon killed while {survivor.Name}'s agent deployed, and started again at {clock.Elapsed.TotalSeconds:F0} s");

            string wrongStatus = "";
            await Wait.Until(() =>
            {
                var status = Host(api, wrong.Name).Result["status"]!;
                wrongStatus = status.ToJsonString();
                return status["errorType"]?.GetValue<string>() == "provisioning error";
            }, Phase, () => $"{wrong.Name} with a wrong checksum did not fail: {wrongStatus}\n{daemon.LogTail()}");
            Assert.Contains("checksum", (await Host(api, wrong.Name))["status"]!["errorMessage"]!.GetValue<string>());
            using (var disk = File.OpenRead(wrong.DiskPath))
            {
                var mbr = new byte[512];
                await disk.ReadExactlyAsync(mbr);
                Assert.True(mbr.All(b => b == 0), $"{wrong.Name}: the disk was not wiped after the checksum mismatch");
            }
            var fixedSpec = await api.PatchAsync($"/api/v1/hosts/{wrong.Name}",
                Http.Json(ProvisionPatch(wrong, image.ZstdSha256), "application/merge-patch+json"));
            Assert.True(fixedSpec.IsSuccessStatusCode, await fixedSpec.Content.ReadAsStringAsync());

            await AllReach(api, daemon, machines, "provisioned");
            foreach (var m in machines)
            {
                await Wait.Until(() => m.Serial.Contains(DiskImage.Marker, StringComparison.Ordinal), Phase,
                    () => $"{m.Name} did not boot its disk:\n{Tail(m.Serial)}");
                // The image is on the disk, except for the MBR's partition entries: the agent appended the config drive.
                var expected = await File.ReadAllBytesAsync(image.Raw);
                var written = new byte[expected.Length];
                using (var disk = File.OpenRead(m.DiskPath))
                {
                    await disk.ReadExactlyAsync(written);
                }
                Assert.True(expected.AsSpan(0, 440).SequenceEqual(written.AsSpan(0, 440)), $"{m.Name}: the boot code differs from the image's");
                Assert.True(expected.AsSpan(512).SequenceEqual(written.AsSpan(512)), $"{m.Name}: the disk differs from the image after the MBR");
                string userData = await ConfigDriveFileAsync(m.DiskPath, "openstack/latest/user_data");
                Assert.Contains($"hostname: {m.Name}", userData);
            }
            phases.Add($"provisioning → booted from disk: {(clock.Elapsed - provisionStarted).TotalSeconds:F0} s");

            // The boot timeline: one place that says what happened on the wire, in order.
            foreach (var m in machines)
            {
                var events = await EventsAsync(api, m.Name);
                // The inventory comes as the inspect command's result, under the agent token (a lookup's is ignored).
                // The BIOS machine's NIC has QEMU's iPXE ROM (no TFTP); the UEFI one boots with OVMF's own PXE, which
                // fetches iPXE over TFTP.
                string[] firmwarePxe = m.Firmware == Firmware.Uefi ? ["TftpTransferred"] : [];
                string[] expected =
                [
                    "StateChanged registering→inspecting", "BmcCall set boot device pxe", "BmcCall set power", "DhcpAcked",
                    .. firmwarePxe, "BootScriptServed", "AgentLookedUp", "AgentCommandFetched", "AgentCommandFinished",
                    "StateChanged inspecting→preparing", "StateChanged preparing→available", "StateChanged available→provisioning",
                    "AgentCommandFetched", "AgentCommandFinished", "BmcCall set boot device disk", "StateChanged provisioning→provisioned",
                ];
                int at = 0;
                foreach (var e in events)
                {
                    if (at < expected.Length && e.StartsWith(expected[at], StringComparison.Ordinal))
                    {
                        at++;
                    }
                }
                Assert.True(at == expected.Length,
                    $"{m.Name}: the timeline lacks '{(at < expected.Length ? expected[at] : "")}' in order; it is:\n{string.Join('\n', events)}");
            }

            // 5. Deprovision, then delete.
            var deprovisionStarted = clock.Elapsed;
            foreach (var m in machines)
            {
                var cleared = await api.PatchAsync($"/api/v1/hosts/{m.Name}", Http.Json("""{"image": null}""", "application/merge-patch+json"));
                Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
            }
            await AllReach(api, daemon, machines, "available");
            phases.Add($"deprovisioning → available: {(clock.Elapsed - deprovisionStarted).TotalSeconds:F0} s");

            // 6. A BMC goes away: a power management error (found by the power sync), cleared when it answers again.
            var bmcLost = clock.Elapsed;
            var orphan = machines[0];
            orphan.StopBmc();
            await UntilStatus(api, orphan.Name, s => s["errorType"]?.GetValue<string>() == "power management error", "a power management error");
            await orphan.StartBmcAsync();
            await UntilStatus(api, orphan.Name, s => s["operationalStatus"]?.GetValue<string>() == "OK" && s["errorType"] is null,
                "the error to clear once the BMC answers again");
            phases.Add($"BMC stopped → power management error → BMC back → OK: {(clock.Elapsed - bmcLost).TotalSeconds:F0} s");
            foreach (var m in machines)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync($"/api/v1/hosts/{m.Name}")).StatusCode);
            }
            foreach (var m in machines)
            {
                await Wait.Until(() => api.GetAsync($"/api/v1/hosts/{m.Name}").Result.StatusCode == HttpStatusCode.NotFound, Phase,
                    () => $"{m.Name} was not removed:\n{daemon.LogTail()}");
                Assert.False(m.Running, $"{m.Name} still runs after its deletion");
            }
            phases.Add($"whole flow: {clock.Elapsed.TotalSeconds:F0} s for {machines.Count} machines at once");
            Console.WriteLine(string.Join('\n', phases));
        }
        finally
        {
            if (daemon is not null)
            {
                await daemon.DisposeAsync();
            }
            foreach (var m in machines)
            {
                m.Dispose();
            }
            net.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Every event of a host as "Reason from→to message", following the pages.</summary>
    private static async Task<List<string>> EventsAsync(HttpClient api, string name)
    {
        var all = new List<string>();
        string? next = null;
        do
        {
            var page = await Http.JsonOf(await api.GetAsync($"/api/v1/hosts/{name}/events?limit=500" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}")));
            foreach (var e in page["items"]!.AsArray())
            {
                string move = e!["fromState"] is { } from && e["toState"] is { } to ? $"{from.GetValue<string>()}→{to.GetValue<string>()} " : "";
                all.Add($"{e["reason"]!.GetValue<string>()} {move}{e["message"]!.GetValue<string>()}");
            }
            next = page["continue"]?.GetValue<string>();
        }
        while (next is not null);
        return all;
    }

    private static string ProvisionPatch(LabMachine m, string checksum) => $$$"""
        {"image": {"url": "{{{LabDaemon.ProvisioningUrl}}}/images/disk.raw.zst", "checksum": "{{{checksum}}}",
                   "checksumType": "sha256", "format": "raw.zst"},
         "userData": "#cloud-config\nhostname: {{{m.Name}}}\n"}
        """;

    /// <summary>A file of the config drive, the disk's last partition (FAT, label config-2), read with mtools.</summary>
    private static async Task<string> ConfigDriveFileAsync(string disk, string path)
    {
        var table = await Run.Async("sfdisk", ["--json", disk], TimeSpan.FromSeconds(30));
        Assert.True(table.ExitCode == 0, table.Output);
        var last = JsonNode.Parse(table.Output)!["partitiontable"]!["partitions"]!.AsArray().Last()!;
        long offset = last["start"]!.GetValue<long>() * 512;
        var file = await Run.Async("env", ["MTOOLS_SKIP_CHECK=1", "mtype", "-i", $"{disk}@@{offset}", $"::/{path}"], TimeSpan.FromSeconds(30));
        Assert.True(file.ExitCode == 0, $"no {path} on the config drive: {file.Output}");
        return file.Output;
    }

    private static async Task<JsonNode> Host(HttpClient api, string name) =>
        await Http.JsonOf(await api.GetAsync($"/api/v1/hosts/{name}"));

    private static async Task AllReach(HttpClient api, DaemonProcess daemon, IEnumerable<LabMachine> machines, string state)
    {
        foreach (var m in machines)
        {
            string last = "";
            await Wait.Until(() =>
            {
                var host = Host(api, m.Name).Result;
                last = host["status"]!.ToJsonString();
                return host["status"]!["provisioning"]!["state"]!.GetValue<string>() == state;
            }, Phase, () => $"{m.Name} did not reach {state}: {last}\nserial:\n{Tail(m.Serial)}\nchassis:\n{Tail(File.Exists(m.ChassisLog) ? File.ReadAllText(m.ChassisLog) : "")}\ndaemon:\n{daemon.LogTail()}");
        }
    }

    private static async Task UntilStatus(HttpClient api, string name, Func<JsonNode, bool> condition, string what)
    {
        string last = "";
        await Wait.Until(() =>
        {
            var status = Host(api, name).Result["status"]!;
            last = status.ToJsonString();
            return condition(status);
        }, Phase, () => $"{name}: no {what}: {last}");
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}
