using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Metal3.Agent.Tests.Imaging;
using Metal3.Agent.Tests.Support;
using Metal3.Server.Tests.Support;
using Xunit.Abstractions;

namespace Metal3.Agent.Tests.EndToEnd;

/// <summary>
/// The whole path on a real (emulated) machine: the daemon as a process, the ramdisk built from Debian packages booted in
/// QEMU, the agent inspecting, erasing and writing the image the test serves. The host's fake BMC powers nothing
/// (<c>agent=ramdisk</c>): the test starts the machine itself, and the reconcile loop drives the agent.
/// </summary>
public sealed class QemuProvisioningTests(ITestOutputHelper output)
{
    private const string Mac = "52:54:00:a6:e7:01";
    private const long DiskSize = 5L << 30;

    [Fact]
    public async Task A_host_booted_into_the_ramdisk_is_inspected_and_provisioned_and_its_disk_holds_the_image()
    {
        string ramdisk = await AgentRamdisk.DirectoryAsync();
        byte[] image = PartitionedImage();
        await using var images = new ImageServer();
        var imageUrl = images.Add("os.raw", image);
        string dataDir = Path.Combine(Path.GetTempPath(), $"metal3-agent-e2e-{Guid.NewGuid():N}");
        await using var daemon = await DaemonProcess.StartAsync(dataDir, null,
            "--Metal3:Agent:Enabled", "true", "--Metal3:Agent:HeartbeatInterval", "00:00:02");
        using var api = daemon.Client();
        using var disk = TestDisk.Create(DiskSize, loop: false);

        int daemonPort = new Uri(daemon.Url).Port;
        var guestImageUrl = $"http://10.0.2.2:{imageUrl.Port}{imageUrl.AbsolutePath}";
        var enroll = await api.PostAsync("/api/v1/hosts", Http.Json($$"""
            {"name": "vm-agent", "bootMacAddress": "{{Mac}}", "bmc": {"address": "fake://vm-agent?agent=ramdisk"}, "online": true,
             "image": {"url": "{{guestImageUrl}}", "checksum": "{{TestImages.Sha256(image)}}", "checksumType": "sha256"},
             "userData": "#cloud-config\nhostname: vm-agent\n"}
            """));
        Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);

        var started = DateTime.UtcNow;
        using (var vm = QemuMachine.Start(ramdisk, disk.File, Mac, $"metal3.api=http://10.0.2.2:{daemonPort}"))
        {
            await Eventually.Until(async () => await StateAsync(api) is { } s && (s == "provisioned" || s.Contains("error")),
                TimeSpan.FromMinutes(12), async () => $"{await api.GetStringAsync("/api/v1/hosts/vm-agent")}\n--- serial:\n{vm.Serial}");
            output.WriteLine($"provisioned {DateTime.UtcNow - started:mm\\:ss} after QEMU started");
            output.WriteLine(vm.Serial);
            Assert.Contains("METAL3-AGENT session for host vm-agent", vm.Serial);
        }

        var host = await Http.JsonOf(await api.GetAsync("/api/v1/hosts/vm-agent"));
        Assert.Equal("provisioned", (string?)host["status"]!["provisioning"]!["state"]);
        Assert.Null((string?)host["status"]!["errorType"]);
        var hardware = host["status"]!["hardware"]!;
        Assert.Contains(hardware["nics"]!.AsArray(), n => (string?)n!["mac"] == Mac);
        var vda = Assert.Single(hardware["storage"]!.AsArray());
        Assert.Equal(("/dev/vda", DiskSize), ((string?)vda!["name"], (long)vda["sizeBytes"]!));
        Assert.True((int)hardware["cpu"]!["count"]! >= 1);
        Assert.Equal("legacy", (string?)hardware["bootMode"]);  // SeaBIOS
        Assert.True((long)hardware["ramMebibytes"]! > 512);

        // The image, except the MBR's partition entries, where the config drive partition was added.
        byte[] written = disk.Read(0, image.Length);
        Assert.True(written.AsSpan(0, 446).SequenceEqual(image.AsSpan(0, 446)));
        Assert.True(written.AsSpan(512).SequenceEqual(image.AsSpan(512)), "the disk holds the image");
        var partitions = JsonNode.Parse(TestDisk.Run("sfdisk", "--json", disk.File).Output)!["partitiontable"]!["partitions"]!.AsArray();
        Assert.Equal(2, partitions.Count);
        long configDrive = (long)partitions[1]!["start"]! * 512;
        var (code, userData) = TestDisk.Run("mtype", "-i", $"{disk.File}@@{configDrive}", "::openstack/latest/user_data");
        Assert.True(code == 0, userData);
        Assert.Equal("#cloud-config\nhostname: vm-agent\n", userData);
    }

    private static async Task<string?> StateAsync(HttpClient api)
    {
        var host = await Http.JsonOf(await api.GetAsync("/api/v1/hosts/vm-agent"));
        return (string?)host["status"]!["errorType"] is { } error ? error : (string?)host["status"]!["provisioning"]!["state"];
    }

    /// <summary>An 8 MiB disk image with an MBR and one partition of random bytes, as an OS image has.</summary>
    private static byte[] PartitionedImage()
    {
        using var file = TestDisk.Create(8 << 20, loop: false);
        string script = Path.GetTempFileName();
        File.WriteAllText(script, "label: dos\nstart=2048, size=12288, type=83\n");
        var (code, text) = TestDisk.Run("sh", "-c", $"sfdisk --no-reread --no-tell-kernel '{file.File}' < '{script}'");
        File.Delete(script);
        Assert.True(code == 0, text);
        byte[] image = File.ReadAllBytes(file.File);
        new Random(11).NextBytes(image.AsSpan(1 << 20, 6 << 20));
        Encoding.ASCII.GetBytes("METAL3-E2E-IMAGE").CopyTo(image, 1 << 20);
        return image;
    }
}
