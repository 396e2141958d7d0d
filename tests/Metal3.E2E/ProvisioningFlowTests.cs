using System.Net;
using System.Text.Json.Nodes;
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
        var ramdisk = await AgentRamdisk.GetAsync();
        var postgres = await PostgresServer.GetAsync();
        string connection = (await postgres.CreateDatabaseAsync("e2e")).Replace("Host=127.0.0.1", $"Host={postgres.SocketDirectory}");
        using var net = NetworkNamespace.Create();
        string work = Directory.CreateTempSubdirectory("metal3-e2e-").FullName;
        var machines = new List<LabMachine>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        try
        {
            string images = Directory.CreateDirectory(Path.Combine(work, "images")).FullName;
            File.Copy(image.Zstd, Path.Combine(images, "disk.raw.zst"));
            machines.Add(await LabMachine.StartAsync(net, work, "bios-0", "52:54:00:e2:e0:10", Firmware.Bios));
            machines.Add(await LabMachine.StartAsync(net, work, "uefi-0", "52:54:00:e2:e0:11", Firmware.Uefi));
            await using var daemon = await LabDaemon.StartAsync(net.Name, Path.Combine(work, "daemon"), connection,
            [
                "--Metal3:Pxe:Interface", "br0",
                "--Metal3:Pxe:Address", NetworkNamespace.ServerAddress,
                "--Metal3:Pxe:HttpUrl", LabDaemon.ProvisioningUrl,
                "--Metal3:Pxe:Dhcp:Mode", "full",
                "--Metal3:Pxe:Dhcp:RangeStart", "198.18.0.100",
                "--Metal3:Pxe:Dhcp:RangeEnd", "198.18.0.199",
                "--Metal3:Pxe:Dhcp:SubnetMask", "255.255.255.0",
                "--Metal3:Pxe:AgentKernel", ramdisk.Kernel,
                "--Metal3:Pxe:AgentInitramfs", ramdisk.Initramfs,
                "--Metal3:Pxe:AgentKernelArgs", "console=ttyS0",
                "--Metal3:Pxe:ImagesDir", images,
                "--Metal3:Agent:Enabled", "true",
            ]);
            using var api = daemon.Client();

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

            // 4. Provision: the agent streams, decompresses, verifies and writes; the machine boots its disk.
            var provisionStarted = clock.Elapsed;
            foreach (var m in machines)
            {
                string patch = $$$"""
                    {"image": {"url": "{{{LabDaemon.ProvisioningUrl}}}/images/disk.raw.zst", "checksum": "{{{image.ZstdSha256}}}",
                               "checksumType": "sha256", "format": "raw.zst"},
                     "userData": "#cloud-config\nhostname: {{{m.Name}}}\n"}
                    """;
                var patched = await api.PatchAsync($"/api/v1/hosts/{m.Name}", Http.Json(patch, "application/merge-patch+json"));
                Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
            }
            await AllReach(api, daemon, machines, "provisioned");
            foreach (var m in machines)
            {
                await Until(() => m.Serial.Contains(DiskImage.Marker, StringComparison.Ordinal), Phase,
                    () => $"{m.Name} did not boot its disk:\n{Tail(m.Serial)}");
                using var disk = File.OpenRead(m.DiskPath);
                var written = new byte[new FileInfo(image.Raw).Length];
                await disk.ReadExactlyAsync(written);
                Assert.Equal(image.RawSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(written)));
            }
            phases.Add($"provisioning → booted from disk: {(clock.Elapsed - provisionStarted).TotalSeconds:F0} s");

            // 5. Deprovision, then delete.
            var deprovisionStarted = clock.Elapsed;
            foreach (var m in machines)
            {
                var cleared = await api.PatchAsync($"/api/v1/hosts/{m.Name}", Http.Json("""{"image": null}""", "application/merge-patch+json"));
                Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
            }
            await AllReach(api, daemon, machines, "available");
            phases.Add($"deprovisioning → available: {(clock.Elapsed - deprovisionStarted).TotalSeconds:F0} s");
            foreach (var m in machines)
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync($"/api/v1/hosts/{m.Name}")).StatusCode);
            }
            foreach (var m in machines)
            {
                await Until(() => api.GetAsync($"/api/v1/hosts/{m.Name}").Result.StatusCode == HttpStatusCode.NotFound, Phase,
                    () => $"{m.Name} was not removed:\n{daemon.LogTail()}");
                Assert.False(m.Running, $"{m.Name} still runs after its deletion");
            }
            phases.Add($"whole flow: {clock.Elapsed.TotalSeconds:F0} s for {machines.Count} machines at once");
            Console.WriteLine(string.Join('\n', phases));
        }
        finally
        {
            foreach (var m in machines)
            {
                m.Dispose();
            }
            net.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<JsonNode> Host(HttpClient api, string name) =>
        await Http.JsonOf(await api.GetAsync($"/api/v1/hosts/{name}"));

    private static async Task AllReach(HttpClient api, LabDaemon daemon, IEnumerable<LabMachine> machines, string state)
    {
        foreach (var m in machines)
        {
            string last = "";
            await Until(() =>
            {
                var host = Host(api, m.Name).Result;
                last = host["status"]!.ToJsonString();
                Assert.NotEqual("error", host["status"]!["operationalStatus"]?.GetValue<string>());
                return host["status"]!["provisioning"]!["state"]!.GetValue<string>() == state;
            }, Phase, () => $"{m.Name} did not reach {state}: {last}\nserial:\n{Tail(m.Serial)}\nchassis:\n{Tail(File.Exists(m.ChassisLog) ? File.ReadAllText(m.ChassisLog) : "")}\ndaemon:\n{daemon.LogTail()}");
        }
    }

    private static async Task Until(Func<bool> condition, TimeSpan deadline, Func<string> what)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (condition())
            {
                return;
            }
            await Task.Delay(1000);
        }
        Assert.Fail($"not within {deadline}: {what()}");
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}
