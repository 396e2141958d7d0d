using System.Security.Cryptography;
using Metal3.Pxe.Tests.Support;
using Metal3.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Metal3.Server.Tests.Pxe;

/// <summary>
/// The daemon as a real process inside a network namespace the test creates (bridge br0 at 198.18.0.1/24, clients in a
/// second namespace), with DHCP in full mode, TFTP and the provisioning listener on http://198.18.0.1:8080 configured
/// as an operator would. Its API listens on a Unix socket, the door into the namespace that touches no interface.
/// A few hosts are enrolled through the API; boot files, agent ramdisk and images are random bytes the tests compare.
/// </summary>
public sealed class PxeDaemonLab : IAsyncLifetime
{
    public const string ProvisioningUrl = "http://198.18.0.1:8080";
    public const string InspectingMac = "52:54:00:aa:10:01";
    public const string ProvisionedMac = "52:54:00:aa:10:02";
    public const string UefiVmMac = "52:54:00:aa:10:03";
    public const string BiosVmMac = "52:54:00:aa:10:04";
    private DaemonProcess? _daemon;

    public NetworkNamespace Net { get; private set; } = null!;
    public string Work { get; } = Directory.CreateTempSubdirectory("metal3-pxehost-").FullName;
    public string DataDir => Path.Combine(Work, "data");
    public string TftpRoot => Path.Combine(Work, "tftp");
    public string ImagesDir => Path.Combine(DataDir, "images");
    public string LogPath => Path.Combine(Work, "daemon.log");
    public HttpClient Api { get; private set; } = null!;

    /// <summary>A client interface with a fixed address (198.18.0.2), for tftp and curl.</summary>
    public string StaticClient { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Run.Require("qemu-system-x86_64", "qemu-system-x86");
        Assert.True(File.Exists("/usr/lib/ipxe/snponly.efi") && File.Exists("/usr/lib/ipxe/undionly.kpxe"), "apt-get install ipxe");
        Directory.CreateDirectory(TftpRoot);
        File.Copy("/usr/lib/ipxe/snponly.efi", Path.Combine(TftpRoot, "snponly.efi"));
        File.Copy("/usr/lib/ipxe/undionly.kpxe", Path.Combine(TftpRoot, "undionly.kpxe"));
        WriteRandom(Path.Combine(TftpRoot, "payload.bin"), 3 << 20);
        Directory.CreateDirectory(Path.Combine(DataDir, "ramdisk"));
        WriteRandom(Path.Combine(DataDir, "ramdisk", "vmlinuz"), 1 << 20);
        WriteRandom(Path.Combine(DataDir, "ramdisk", "initramfs"), 2 << 20);
        Directory.CreateDirectory(ImagesDir);
        WriteRandom(Path.Combine(ImagesDir, "disk.raw"), 2 << 20);
        File.WriteAllText(Path.Combine(Work, "secret.txt"), "outside-the-images-directory");
        File.CreateSymbolicLink(Path.Combine(ImagesDir, "escape.raw"), Path.Combine(Work, "secret.txt"));

        Net = NetworkNamespace.Create();
        StaticClient = Net.AddClient("52:54:00:ee:00:02", "198.18.0.2/24");
        _daemon = await DaemonProcess.StartAsync(new DaemonOptions(DataDir)
        {
            NetworkNamespace = Net.Name,
            LogFile = LogPath,
            ReadyWithin = TimeSpan.FromSeconds(90),
            Settings =
            [
                "--Metal3:Jobs:Enabled", "false",
                "--Metal3:Pxe:Interface", "br0",
                "--Metal3:Pxe:HttpUrl", ProvisioningUrl,
                "--Metal3:Pxe:Dhcp:Mode", "full",
                "--Metal3:Pxe:Dhcp:RangeStart", "198.18.0.100",
                "--Metal3:Pxe:Dhcp:RangeEnd", "198.18.0.150",
                "--Metal3:Pxe:Dhcp:LeaseSeconds", "600",
                "--Metal3:Pxe:Tftp:Root", TftpRoot,
                "--Metal3:Pxe:AgentKernelArgs", "console=ttyS0,115200",
                "--Logging:LogLevel:Metal3.Pxe", "Debug",
            ],
        });
        Api = _daemon.Client();
        foreach (var (name, mac) in new[] { ("worker-inspect", InspectingMac), ("worker-done", ProvisionedMac), ("worker-uefi", UefiVmMac), ("worker-bios", BiosVmMac) })
        {
            var response = await Api.PostAsync("/api/v1/hosts", Http.Json(Http.EnrollBody(name, mac)));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        // The reconcile loop is off, so enrolled hosts stay "registering" (the agent boots); one is made provisioned
        // as the state machine would leave it.
        await using var db = new SqliteConnection($"Data Source={Path.Combine(DataDir, "metal3.db")}");
        await db.OpenAsync();
        await using var update = db.CreateCommand();
        update.CommandText = """UPDATE hosts SET "State" = 'Provisioned' WHERE "Name" = 'worker-done'""";
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        Net?.Dispose();
        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("METAL3_TEST_LOGS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(LogPath, Path.Combine(keep, "pxe-daemon.log"), overwrite: true);
        }
        Directory.Delete(Work, recursive: true);
    }

    public string Log() => _daemon!.Log();

    public string Tail(int lines = 60) => _daemon!.LogTail(lines);

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>curl in the clients' namespace, from 198.18.0.2: status code, then the body written to <paramref name="output"/>.</summary>
    public async Task<int> CurlAsync(string url, string output, params string[] extra)
    {
        Run.Require("curl", "curl");
        var result = await Net.InClients(TimeSpan.FromSeconds(60), ["curl", "-sS", "--path-as-is", "-o", output, "-w", "%{http_code}", .. extra, url]);
        Assert.True(result.ExitCode == 0, result.Output);
        return int.Parse(result.Output.Trim());
    }

    private static void WriteRandom(string path, int bytes)
    {
        var data = new byte[bytes];
        Random.Shared.NextBytes(data);
        File.WriteAllBytes(path, data);
    }
}
