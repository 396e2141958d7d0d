using System.Net;
using System.Net.Http.Headers;
using Metal3.Server.Tests.Support;

namespace Metal3.Server.Tests.Deploy;

/// <summary>
/// deploy/package.sh: the Debian packages it builds say what they are and need, hold the files the unit and the
/// settings name, and the daemon and metal3ctl they carry run unpacked with no .NET anywhere on their PATH.
/// </summary>
[Collection(ReconcileLoopCollection.Name)] // builds with the SDK and starts a daemon process
public sealed class PackageTests(PackageTests.Built built) : IClassFixture<PackageTests.Built>
{
    [Fact]
    public async Task The_package_says_what_it_is_and_what_it_needs_from_debian()
    {
        var control = await DpkgDeb("--field", built.Daemon);

        Assert.Contains("Package: metal3\n", control, StringComparison.Ordinal);
        Assert.Contains($"Version: {Built.Version}\n", control, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64\n", control, StringComparison.Ordinal);
        string depends = control.Split('\n').Single(l => l.StartsWith("Depends: ", StringComparison.Ordinal));
        foreach (string needed in new[] { "ipxe", "libssl3", "adduser", "ca-certificates" })
        {
            Assert.Contains(needed, depends.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries));
        }
        Assert.DoesNotContain("dotnet", control, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/etc/metal3/appsettings.json", File.ReadAllText(Path.Combine(built.Control, "conffiles")).Trim());
        foreach (string script in new[] { "postinst", "prerm", "postrm" })
        {
            string path = Path.Combine(built.Control, script);
            Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
            var syntax = await Run.Async("/bin/sh", ["-n", path], TimeSpan.FromSeconds(10));
            Assert.True(syntax.ExitCode == 0, $"{script}: {syntax.Output}");
        }
        Assert.Contains("adduser --system --group", File.ReadAllText(Path.Combine(built.Control, "postinst")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_and_the_settings_in_the_package_name_files_the_packages_install()
    {
        string unit = File.ReadAllText(Path.Combine(built.Root, "lib/systemd/system/metal3.service"));
        Assert.Equal(File.ReadAllText(Repository.Path("deploy", "metal3.service")), unit);
        string exec = unit.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..];
        Assert.True(File.GetUnixFileMode(Path.Combine(built.Root, exec.TrimStart('/'))).HasFlag(UnixFileMode.UserExecute),
            $"{exec} is not an executable in the package");

        var cli = new FileInfo(Path.Combine(built.Root, "usr/bin/metal3ctl"));
        Assert.Equal("../lib/metal3/metal3ctl", cli.LinkTarget);
        Assert.True(File.Exists(cli.ResolveLinkTarget(returnFinalTarget: true)!.FullName), "metal3ctl's link points at nothing");

        string settings = File.ReadAllText(Path.Combine(built.Root, "etc/metal3/appsettings.json"));
        Assert.Equal(File.ReadAllText(Repository.Path("deploy", "appsettings.example.json")), settings);
        Assert.Contains("\"/usr/lib/metal3/ramdisk/vmlinuz\"", settings, StringComparison.Ordinal);
        Assert.Contains("\"/usr/lib/metal3/ramdisk/initramfs\"", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unpacked_daemon_and_metal3ctl_run_with_no_dotnet_on_the_path()
    {
        string data = Path.Combine(built.Work, "data");
        var noDotnet = new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/sbin", ["DOTNET_ROOT"] = "" };
        Assert.NotEqual(0, (await Run.Async(StartWithPath("/bin/sh", ["-c", "command -v dotnet"], noDotnet), TimeSpan.FromSeconds(10))).ExitCode);

        await using var daemon = await DaemonProcess.StartAsync(new DaemonOptions(data)
        {
            Program = Path.Combine(built.Root, "usr/lib/metal3/metal3"),
            Environment = noDotnet,
            ReadyWithin = TimeSpan.FromSeconds(120),
        });
        using var api = daemon.Client();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/healthz")).StatusCode);
        (await api.PostAsync("/api/v1/hosts", new StringContent(
            """{"name":"packaged-0","bmc":{"address":"fake://packaged-0"}}""", new MediaTypeHeaderValue("application/json")))).EnsureSuccessStatusCode();

        string token = File.ReadAllText(Path.Combine(data, "admin.token")).Trim();
        var listed = await Run.Async(StartWithPath(Path.Combine(built.Root, "usr/bin/metal3ctl"),
            ["--url", daemon.Url, "--token", token, "hosts", "list"], noDotnet), TimeSpan.FromSeconds(60));
        Assert.True(listed.ExitCode == 0, $"metal3ctl exited {listed.ExitCode}:\n{listed.Output}");
        Assert.Contains("packaged-0", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ramdisk_package_installs_the_kernel_and_initramfs_where_the_settings_look()
    {
        Assert.True(built.Ramdisk is not null,
            "METAL3_AGENT_RAMDISK is not set: run the tests with ./test.sh, which builds the ramdisk, or set it to a directory "
            + "written by Metal3.Agent/ramdisk/build.sh");
        var control = await DpkgDeb("--field", built.Ramdisk);
        Assert.Contains("Package: metal3-agent-ramdisk\n", control, StringComparison.Ordinal);
        var contents = await DpkgDeb("--contents", built.Ramdisk);
        Assert.Contains("./usr/lib/metal3/ramdisk/vmlinuz", contents, StringComparison.Ordinal);
        Assert.Contains("./usr/lib/metal3/ramdisk/initramfs", contents, StringComparison.Ordinal);
    }

    private static System.Diagnostics.ProcessStartInfo StartWithPath(string file, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = Run.StartInfo(file, args);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return start;
    }

    private static async Task<string> DpkgDeb(string what, string deb)
    {
        var result = await Run.Async("/usr/bin/dpkg-deb", [what, deb], TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"dpkg-deb {what} {deb}: {result.Output}");
        return result.Stdout;
    }

    /// <summary>
    /// The packages, as test.sh built them (<c>METAL3_PACKAGES</c>, while the ramdisk was being built) or else built here
    /// once by deploy/package.sh, and unpacked (dpkg-deb -x, -e) into a temporary root.
    /// </summary>
    public sealed class Built : IAsyncLifetime
    {
        public static string Version { get; } = System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Repository.Path("Directory.Build.props")), "<VersionPrefix>(.+)</VersionPrefix>").Groups[1].Value;

        public string Work { get; } = Path.Combine(Path.GetTempPath(), $"metal3-test-package-{Guid.NewGuid():N}");
        public string Out { get; private set; } = "";
        public string Daemon => Path.Combine(Out, $"metal3_{Version}_amd64.deb");
        public string? Ramdisk { get; private set; }
        public string Root => Path.Combine(Work, "root");
        public string Control => Path.Combine(Work, "control");

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Work);
            string? ramdisk = Environment.GetEnvironmentVariable("METAL3_AGENT_RAMDISK") is { Length: > 0 } given ? given : null;
            if (Environment.GetEnvironmentVariable("METAL3_PACKAGES") is { Length: > 0 } packaged)
            {
                Out = packaged;
                Assert.True(File.Exists(Daemon), $"METAL3_PACKAGES={packaged} has no {Path.GetFileName(Daemon)}: see package.log beside it");
            }
            else
            {
                Out = Path.Combine(Work, "out");
                string[] args = ramdisk is null ? [Out] : [Out, ramdisk];
                var start = Run.StartInfo(Repository.Path("deploy", "package.sh"), args);
                start.Environment["TMPDIR"] = Work;
                var built = await Run.Async(start, TimeSpan.FromMinutes(10));
                Assert.True(built.ExitCode == 0, $"deploy/package.sh exited {built.ExitCode}:\n{built.Output}");
                Assert.True(File.Exists(Daemon), $"no {Daemon}:\n{built.Output}");
            }
            if (ramdisk is not null)
            {
                Ramdisk = Path.Combine(Out, $"metal3-agent-ramdisk_{Version}_amd64.deb");
                Assert.True(File.Exists(Ramdisk), $"no {Ramdisk}");
            }
            foreach (var (flag, into) in new[] { ("-x", Root), ("-e", Control) })
            {
                var unpacked = await Run.Async("/usr/bin/dpkg-deb", [flag, Daemon, into], TimeSpan.FromMinutes(2));
                Assert.True(unpacked.ExitCode == 0, $"dpkg-deb {flag}: {unpacked.Output}");
            }
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Work, recursive: true);
            return Task.CompletedTask;
        }
    }
}
