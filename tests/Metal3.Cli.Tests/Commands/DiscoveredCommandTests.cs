using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary>The built metal3ctl's discovered commands against a real daemon, with a machine reported as its agent would.</summary>
[Collection(CliDaemonCollection.Name)]
public class DiscoveredCommandTests(CliDaemon daemon)
{
    private const string Password = "disc-Pw-99117";

    private async Task<string> ReportAsync(params string[] macs)
    {
        using var api = daemon.Api();
        string body = $$$"""
            {"macs": [{{{string.Join(", ", macs.Select(m => $"\"{m}\""))}}}], "bmcAddress": "198.18.0.40",
             "inventory": {"cpu": {"count": 4}, "ramMebibytes": 8192, "storage": [{"name": "/dev/vda", "sizeBytes": 21000000000}],
                           "nics": [], "systemVendor": {"manufacturer": "QEMU", "productName": "q35"} } }
            """;
        var r = await api.PostAsync("/api/v1/agent/discovery", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (string)JsonNode.Parse(await r.Content.ReadAsStringAsync())!["id"]!;
    }

    [Fact]
    public async Task List_shows_the_machine_and_enroll_makes_it_a_host_with_the_password_from_a_file()
    {
        string id = await ReportAsync("52:54:00:dc:00:01", "52:54:00:dc:00:02");
        var cli = daemon.Cli();

        var list = await cli.RunAsync("discovered", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        string[] lines = list.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["ID", "MACS", "BMC", "CPUS", "RAM-MIB", "DISKS", "VENDOR", "FIRST-SEEN", "LAST-SEEN"], Words(lines[0]));
        string[] row = Words(lines.Single(l => l.StartsWith(id, StringComparison.Ordinal)));
        Assert.Equal(["52:54:00:dc:00:01,52:54:00:dc:00:02", "198.18.0.40", "4", "8192", "1/21G", "QEMU", "q35"], row[1..8]);

        var json = JsonNode.Parse((await cli.RunAsync("discovered", "get", id, "-o", "json")).Stdout)!;
        Assert.Equal(8192, (long)json["inventory"]!["ramMebibytes"]!);

        string passwordFile = Path.Combine(cli.WorkingDirectory, "bmc-password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        var enrolled = await cli.RunAsync("discovered", "enroll", id, "--name", "disccli-0", "--bmc", "fake://disccli-0",
            "--bmc-username", "admin", "--bmc-password-file", passwordFile, "--label", "suite=discovered", "--boot-mac", "52:54:00:dc:00:02");
        Assert.True(enrolled.ExitCode == 0, enrolled.ToString());
        Assert.Contains("host/disccli-0 enrolled (boot MAC 52:54:00:dc:00:02)", enrolled.Stdout);
        Assert.DoesNotContain(Password, enrolled.Stdout + enrolled.Stderr);

        var host = await daemon.GetHostAsync("disccli-0");
        Assert.Equal("52:54:00:dc:00:02", (string?)host["bootMacAddress"]);
        Assert.Equal("discovered", (string?)host["labels"]!["suite"]);
        Assert.True((bool)host["bmc"]!["credentialsSet"]!);
        Assert.DoesNotContain(id, (await cli.RunAsync("discovered", "list")).Stdout);
    }

    [Fact]
    public async Task Enrolling_an_unknown_ID_exits_3_and_a_bad_body_exits_1_with_the_field()
    {
        var cli = daemon.Cli();
        var missing = await cli.RunAsync("discovered", "enroll", Guid.NewGuid().ToString(), "--name", "disccli-9", "--bmc", "fake://disccli-9");
        Assert.Equal(3, missing.ExitCode);

        string id = await ReportAsync("52:54:00:dc:00:11");
        var bad = await cli.RunAsync("discovered", "enroll", id, "--name", "Bad_Name", "--bmc", "fake://x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("name", bad.Stderr);
        Assert.Contains(id, (await cli.RunAsync("discovered", "list")).Stdout);
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
