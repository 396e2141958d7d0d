using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Metal3.Server.Hosting;
using Metal3.Server.Tests.Support;

namespace Metal3.Server.Tests.Deploy;

/// <summary>
/// deploy/metal3.service: systemd accepts it (systemd-analyze verify, with warnings counted as failures), it runs the
/// daemon unprivileged with only the network-boot capabilities, and the daemon really speaks Type=notify.
/// </summary>
[Collection(ReconcileLoopCollection.Name)] // starts a daemon process
public sealed class SystemdUnitTests
{
    private static readonly string Unit = Repository.Path("deploy", "metal3.service");

    /// <summary>Where the Debian package puts the self-contained daemon (deploy/package.sh; PackageTests).</summary>
    private const string PackagedDaemon = "/usr/lib/metal3/metal3";

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        var (exit, output) = await VerifyAsync(File.ReadAllText(Unit));

        Assert.True(exit == 0 && output.Length == 0, $"systemd-analyze verify exited {exit}:\n{output}");
    }

    [Fact]
    public async Task Systemd_analyze_verify_catches_a_mistyped_setting()
    {
        // Proves the test above can fail: verify only warns (exit 0) on unknown keys, so output must be empty too.
        var (_, output) = await VerifyAsync(File.ReadAllText(Unit).Replace("NoNewPrivileges=", "NoNewPrivilege=", StringComparison.Ordinal));

        Assert.Contains("NoNewPrivilege", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_runs_as_metal3_with_only_the_network_boot_capabilities()
    {
        var service = Settings(File.ReadAllText(Unit));

        Assert.Equal(["notify"], service["Type"]);
        Assert.Equal(["metal3"], service["User"]);
        Assert.Equal(["metal3"], service["StateDirectory"]);
        Assert.Contains("Metal3__DataDir=/var/lib/metal3", service["Environment"]);
        Assert.Contains($"{ConfigFile.EnvironmentVariable}={ConfigFile.ConventionalPath}", service["Environment"]);
        Assert.Equal(["CAP_NET_BIND_SERVICE CAP_NET_RAW"], service["AmbientCapabilities"]);
        Assert.Equal(["CAP_NET_BIND_SERVICE CAP_NET_RAW"], service["CapabilityBoundingSet"]);
        Assert.Equal(["yes"], service["NoNewPrivileges"]);
        // Hardening must not cut DHCP off: raw packet sockets and netlink (interface addresses) stay allowed.
        Assert.Contains("AF_PACKET", service["RestrictAddressFamilies"].Single().Split(' '));
        Assert.Contains("AF_NETLINK", service["RestrictAddressFamilies"].Single().Split(' '));
        Assert.False(service.ContainsKey("PrivateNetwork"));
        Assert.False(service.ContainsKey("MemoryDenyWriteExecute"), "the .NET JIT writes code at run time");
    }

    /// <summary>
    /// The daemon tells systemd it is ready (READY=1 on NOTIFY_SOCKET) once it serves. Microsoft.Extensions.Hosting.Systemd
    /// only does so when its parent process is called "systemd", so the daemon is started by a shell named so.
    /// </summary>
    [Fact]
    public async Task The_daemon_sends_ready_to_the_notify_socket_when_it_serves()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-notify-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string socketPath = Path.Combine(dir, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        string fakeSystemd = Path.Combine(dir, "systemd");
        File.CreateSymbolicLink(fakeSystemd, "/bin/sh");
        string url = $"http://127.0.0.1:{FreePort.Tcp()}";
        string log = Path.Combine(dir, "daemon.log");

        var psi = new ProcessStartInfo(fakeSystemd) { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        // "; exit" keeps the shell as the daemon's parent instead of letting it exec the daemon in its place.
        psi.ArgumentList.Add("dotnet \"$0\" --urls \"$1\" --Metal3:DataDir \"$2\" >\"$3\" 2>&1; exit $?");
        foreach (string a in new[] { Repository.ServerDll, url, Path.Combine(dir, "data"), log })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["NOTIFY_SOCKET"] = socketPath;
        using var shell = Process.Start(psi)!;
        try
        {
            var buffer = new byte[4096];
            var receive = socket.ReceiveAsync(buffer, SocketFlags.None);
            var finished = await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(90)));
            Assert.True(finished == receive, $"no notification within 90 s; daemon log:\n{ReadLog(log)}");
            string message = Encoding.ASCII.GetString(buffer, 0, await receive);
            Assert.Contains("READY=1", message, StringComparison.Ordinal);

            // Ready means serving: the API answers at once.
            using var http = new HttpClient();
            Assert.True((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode);
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync();
        }
    }

    /// <summary>verify needs ExecStart's program to exist: the copy points at a stand-in beside it.</summary>
    private static async Task<(int Exit, string Output)> VerifyAsync(string unitText)
    {
        const string Analyzer = "/usr/bin/systemd-analyze";
        Assert.True(File.Exists(Analyzer), $"{Analyzer} is missing: install the Debian package systemd (listed in .ci/apt-packages)");
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-test-unit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        string standIn = Path.Combine(dir, "metal3");
        File.WriteAllText(standIn, "#!/bin/sh\n");
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Contains($"ExecStart={PackagedDaemon}\n", unitText, StringComparison.Ordinal);
        string unit = Path.Combine(dir, "metal3.service");
        File.WriteAllText(unit, unitText.Replace($"ExecStart={PackagedDaemon}\n", $"ExecStart={standIn}\n", StringComparison.Ordinal));

        var result = await Run.Async(Analyzer, ["verify", "--man=no", unit], TimeSpan.FromSeconds(60));
        Directory.Delete(dir, recursive: true);
        return (result.ExitCode, (result.Stdout + result.Stderr).Trim());
    }

    /// <summary>The [Service] section's settings; a key may repeat (Environment=).</summary>
    private static Dictionary<string, List<string>> Settings(string unitText)
    {
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string section = "";
        foreach (string raw in unitText.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line;
            }
            else if (section == "[Service]" && line.Length > 0 && !line.StartsWith('#') && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                string key = line[..eq];
                if (!settings.TryGetValue(key, out var values))
                {
                    settings[key] = values = [];
                }
                values.Add(line[(eq + 1)..]);
            }
        }
        return settings;
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";
}
