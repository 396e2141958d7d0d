using System.Net;
using Metal3.Pxe.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Metal3.Server.Tests.Pxe;

/// <summary>
/// The daemon's network-boot services against real clients in the test's namespace: busybox udhcpc for DHCP,
/// tftp-hpa for TFTP, curl for the provisioning listener (and, through the namespace's loopback, the API listener).
/// </summary>
[Collection(PxeDaemonCollection.Name)]
public sealed class PxeDaemonTests(PxeDaemonLab lab)
{
    private const string PxeVendorClass = "PXEClient:Arch:00000:UNDI:002001";

    [Fact]
    public async Task An_enrolled_pxe_client_gets_an_address_from_the_pool_and_its_boot_file_and_the_lease_is_in_the_database()
    {
        var bound = await UdhcpcAsync(PxeDaemonLab.InspectingMac, "-V", PxeVendorClass);

        Assert.Matches(@"ip=198\.18\.0\.1[0-4][0-9] ", bound);
        Assert.Contains("siaddr=198.18.0.1 boot_file=undionly.kpxe serverid=198.18.0.1", bound);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(lab.DataDir, "metal3.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var query = db.CreateCommand();
        query.CommandText = """SELECT "State" FROM dhcp_leases WHERE "MacAddress" = $mac""";
        query.Parameters.AddWithValue("$mac", PxeDaemonLab.InspectingMac);
        Assert.Equal("Bound", await query.ExecuteScalarAsync());
        // The boot timeline: a known host's DHCP exchange with boot information is a host event.
        await Eventually.Until(() => lab.Api.GetStringAsync("/api/v1/hosts/worker-inspect/events").GetAwaiter().GetResult()
            .Contains("boot file undionly.kpxe", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "a DhcpAcked event of worker-inspect");
    }

    [Fact]
    public async Task An_unknown_pxe_client_gets_an_address_but_no_boot_information()
    {
        var bound = await UdhcpcAsync("52:54:00:ee:00:09", "-V", PxeVendorClass);

        Assert.Matches(@"ip=198\.18\.0\.1[0-4][0-9] ", bound);
        Assert.Contains("boot_file= ", bound);
    }

    [Fact]
    public async Task Tftp_hpa_fetches_a_boot_file_intact_and_is_refused_outside_the_root()
    {
        var tftp = Run.Require("tftp", "tftp-hpa");
        var copy = Path.Combine(lab.Work, "payload.tftp");

        var got = await lab.Net.InClients(TimeSpan.FromSeconds(60), tftp, "-m", "binary", "198.18.0.1", "-c", "get", "payload.bin", copy);
        var refused = await lab.Net.InClients(TimeSpan.FromSeconds(60), tftp, "-m", "binary", "198.18.0.1", "-c", "get", "../secret.txt",
            Path.Combine(lab.Work, "secret.tftp"));

        Assert.True(got.ExitCode == 0 && File.Exists(copy), got.Output);
        Assert.Equal(PxeDaemonLab.Sha256(Path.Combine(lab.TftpRoot, "payload.bin")), PxeDaemonLab.Sha256(copy));
        Assert.Contains("not found", refused.Output, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(lab.Work, "secret.tftp")) && new FileInfo(Path.Combine(lab.Work, "secret.tftp")).Length > 0);
        await Eventually.Until(() => lab.Log().Contains("reads payload.bin", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the daemon to log the transfer");
        // Counted on the daemon's own meter factory, which /metrics exports.
        Assert.Contains("metal3_pxe_tftp_transfers_total{event=\"completed\"}", await lab.Api.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ipxe_script_boots_the_agent_while_inspecting_and_the_local_disk_when_provisioned()
    {
        var inspecting = Path.Combine(lab.Work, "inspecting.ipxe");
        var provisioned = Path.Combine(lab.Work, "provisioned.ipxe");
        var unknown = Path.Combine(lab.Work, "unknown.ipxe");

        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/ipxe?mac={PxeDaemonLab.InspectingMac.ToUpperInvariant()}", inspecting));
        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/ipxe?mac={PxeDaemonLab.ProvisionedMac}", provisioned));
        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/ipxe?mac=52:54:00:ee:00:77", unknown));

        var agent = File.ReadAllText(inspecting);
        Assert.StartsWith("#!ipxe\n# metal3: 52:54:00:aa:10:01 worker-inspect Registering", agent);
        Assert.Contains("kernel http://198.18.0.1:8080/boot/agent/vmlinuz initrd=initramfs metal3.api=http://198.18.0.1:8080 metal3.mac=52:54:00:aa:10:01 console=ttyS0,115200", agent);
        Assert.Contains("initrd --name initramfs http://198.18.0.1:8080/boot/agent/initramfs", agent);
        var disk = File.ReadAllText(provisioned);
        Assert.Contains("worker-done Provisioned", disk);
        Assert.Contains("sanboot --no-describe --drive 0x80", disk);
        Assert.DoesNotContain("kernel", disk);
        Assert.Contains("# metal3: 52:54:00:ee:00:77 unknown", File.ReadAllText(unknown));
        Assert.DoesNotContain("kernel", File.ReadAllText(unknown));
        Assert.Contains("iPXE script for 52:54:00:aa:10:02 (worker-done): local disk", lab.Log());
    }

    [Fact]
    public async Task A_bad_mac_is_a_400_with_a_reason()
    {
        var body = Path.Combine(lab.Work, "bad-mac.txt");

        Assert.Equal(400, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/ipxe?mac=not-a-mac", body));
        Assert.Equal(400, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/ipxe", body));
        Assert.Contains("MAC address", File.ReadAllText(body));
    }

    [Fact]
    public async Task The_agent_ramdisk_boot_files_and_images_are_served_whole_and_by_range()
    {
        var kernel = Path.Combine(lab.Work, "vmlinuz");
        var initramfs = Path.Combine(lab.Work, "initramfs");
        var efi = Path.Combine(lab.Work, "snponly.efi");
        var image = Path.Combine(lab.Work, "disk.raw");
        var part = Path.Combine(lab.Work, "disk.part");

        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/agent/vmlinuz", kernel));
        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/agent/initramfs", initramfs));
        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/boot/snponly.efi", efi));
        var wholeHeaders = Path.Combine(lab.Work, "whole.headers");
        var partHeaders = Path.Combine(lab.Work, "part.headers");
        Assert.Equal(200, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/images/disk.raw", image, "-D", wholeHeaders));
        Assert.Equal(206, await lab.CurlAsync($"{PxeDaemonLab.ProvisioningUrl}/images/disk.raw", part, "-r", "1000-1999", "-D", partHeaders));
        // A whole file and a range of it carry the same validator, so a resumed download's If-Range matches.
        string LastModified(string headers) => File.ReadAllLines(headers).Single(l => l.StartsWith("Last-Modified:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(LastModified(partHeaders), LastModified(wholeHeaders));
        Assert.Contains(File.ReadAllLines(wholeHeaders), l => l.Equals("Accept-Ranges: bytes", StringComparison.OrdinalIgnoreCase));

        Assert.Equal(PxeDaemonLab.Sha256(Path.Combine(lab.DataDir, "ramdisk", "vmlinuz")), PxeDaemonLab.Sha256(kernel));
        Assert.Equal(PxeDaemonLab.Sha256(Path.Combine(lab.DataDir, "ramdisk", "initramfs")), PxeDaemonLab.Sha256(initramfs));
        Assert.Equal(PxeDaemonLab.Sha256(Path.Combine(lab.TftpRoot, "snponly.efi")), PxeDaemonLab.Sha256(efi));
        Assert.Equal(PxeDaemonLab.Sha256(Path.Combine(lab.ImagesDir, "disk.raw")), PxeDaemonLab.Sha256(image));
        Assert.Equal(File.ReadAllBytes(Path.Combine(lab.ImagesDir, "disk.raw"))[1000..2000], File.ReadAllBytes(part));
    }

    [Theory]
    [InlineData("/images/../secret.txt")]
    [InlineData("/images/%2e%2e/secret.txt")]
    [InlineData("/images/..%2fsecret.txt")]
    [InlineData("/images/escape.raw")]
    [InlineData("/images//etc/passwd")]
    [InlineData("/boot/..%2f..%2fdata%2fmetal3.db")]
    [InlineData("/images/missing.raw")]
    public async Task Nothing_outside_the_directories_is_served(string path)
    {
        var body = Path.Combine(lab.Work, "outside.txt");

        int status = await lab.CurlAsync(PxeDaemonLab.ProvisioningUrl + path, body);

        Assert.True(status is 404 or 400, $"{path}: {status}");
        Assert.DoesNotContain("outside-the-images-directory", File.ReadAllText(body));
        Assert.DoesNotContain("root:", File.ReadAllText(body));
    }

    [Theory]
    [InlineData("/api/v1/hosts")]
    [InlineData("/api/v1/tokens")]
    [InlineData("/healthz")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/")]
    public async Task The_api_is_not_reachable_from_the_provisioning_network(string path)
    {
        Assert.Equal(404, await lab.CurlAsync(PxeDaemonLab.ProvisioningUrl + path, Path.Combine(lab.Work, "api.txt")));
    }

    [Theory]
    [InlineData("/boot/ipxe?mac=52:54:00:aa:10:01")]
    [InlineData("/boot/agent/vmlinuz")]
    [InlineData("/images/disk.raw")]
    public async Task Boot_files_are_not_served_on_the_api_listener(string path)
    {
        var response = await lab.Api.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await lab.Api.GetAsync("/api/v1/hosts/worker-inspect")).IsSuccessStatusCode);
    }

    /// <summary>busybox udhcpc with the given MAC on a new client interface; returns the variables its script printed.</summary>
    private async Task<string> UdhcpcAsync(string mac, params string[] extra)
    {
        Run.Require("busybox", "busybox-static");
        var script = Path.Combine(lab.Work, "udhcpc.sh");
        if (!File.Exists(script))
        {
            File.WriteAllText(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"BOUND ip=$ip subnet=$subnet lease=$lease siaddr=$siaddr boot_file=$boot_file serverid=$serverid\"\nexit 0\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var eth = lab.Net.AddClient(mac);
        var result = await lab.Net.InClients(TimeSpan.FromSeconds(40),
            ["busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "2", "-i", eth, "-s", script, .. extra]);
        Assert.True(result.ExitCode == 0, result.Output + "\n" + lab.Tail());
        return result.Output.Split('\n').Single(l => l.StartsWith("BOUND", StringComparison.Ordinal));
    }
}
