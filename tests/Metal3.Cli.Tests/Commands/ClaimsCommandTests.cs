using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary>The built metal3ctl's claims commands against a real daemon with a fake host of their own.</summary>
[Collection(CliDaemonCollection.Name)]
public class ClaimsCommandTests(CliDaemon daemon)
{
    private static readonly string Checksum = new('d', 64);

    [Fact]
    public async Task Create_waits_until_the_claimed_host_is_provisioned_and_delete_waits_until_it_is_free()
    {
        using (var api = daemon.Api())
        {
            var enrolled = await api.PostAsJsonAsync("/api/v1/hosts", new JsonObject
            {
                ["name"] = "claimcli-0", ["labels"] = new JsonObject { ["suite"] = "claims-cli" },
                ["bmc"] = new JsonObject { ["address"] = "fake://claimcli-0?delayMs=20" }, ["online"] = true,
            });
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        }
        var cli = daemon.Cli();

        var created = await cli.RunAsync("claims", "create", "cc-1", "-l", "suite=claims-cli", "--label", "suite=claims-cli",
            "--min-cpus", "1", "--image", "http://images/cc.raw", "--checksum", Checksum, "--wait", "--timeout", "90s");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("claim/cc-1 Provisioned: host/claimcli-0", created.Stdout);

        var list = await cli.RunAsync("claims", "list", "-l", "suite=claims-cli");
        string[] lines = list.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["NAME", "PHASE", "HOST", "SELECTOR", "IMAGE", "AGE"], Words(lines[0]));
        Assert.Equal(["cc-1", "Provisioned", "claimcli-0", "suite=claims-cli", "http://images/cc.raw"], Words(lines[1])[..5]);

        var json = JsonNode.Parse((await cli.RunAsync("claims", "get", "cc-1", "-o", "json")).Stdout)!;
        Assert.Equal("Provisioned", (string?)json["status"]!["phase"]);
        Assert.Equal("claim/cc-1", (string?)(await daemon.GetHostAsync("claimcli-0"))["consumerRef"]);

        var deleted = await cli.RunAsync("claims", "delete", "cc-1", "--wait", "--timeout", "90s");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("claim/cc-1 released", deleted.Stdout);
        var host = await daemon.GetHostAsync("claimcli-0");
        Assert.Null((string?)host["consumerRef"]);
        Assert.Null(host["image"]);
        Assert.Equal(3, (await cli.RunAsync("claims", "get", "cc-1")).ExitCode);
    }

    [Fact]
    public async Task A_bad_claim_is_the_daemons_problem_printed_and_exit_1()
    {
        var run = await daemon.Cli().RunAsync("claims", "create", "Bad_Name", "-l", "a=b=c");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("labelSelector", run.Stderr);
        Assert.Contains("name", run.Stderr);
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
