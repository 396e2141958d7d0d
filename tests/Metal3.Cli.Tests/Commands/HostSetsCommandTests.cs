using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary>The built metal3ctl's hostsets commands against a real daemon with fake hosts of their own.</summary>
[Collection(CliDaemonCollection.Name)]
public class HostSetsCommandTests(CliDaemon daemon)
{
    private static readonly string Checksum = new('f', 64);

    [Fact]
    public async Task Create_scale_and_delete_wait_until_the_hosts_are_provisioned_and_then_free()
    {
        using (var api = daemon.Api())
        {
            foreach (string host in new[] { "setcli-0", "setcli-1" })
            {
                var enrolled = await api.PostAsJsonAsync("/api/v1/hosts", new JsonObject
                {
                    ["name"] = host, ["labels"] = new JsonObject { ["suite"] = "hostsets-cli" },
                    ["bmc"] = new JsonObject { ["address"] = $"fake://{host}?delayMs=20" }, ["online"] = true,
                });
                Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
            }
        }
        var cli = daemon.Cli();

        var created = await cli.RunAsync("hostsets", "create", "web", "--replicas", "2", "-l", "suite=hostsets-cli", "--label", "app=web",
            "--image", "http://images/web.raw", "--checksum", Checksum, "--wait", "--timeout", "90s");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("hostset/web 2 replicas provisioned", created.Stdout);

        var list = await cli.RunAsync("hostsets", "list", "-l", "app=web");
        string[] lines = list.Stdout.TrimEnd().Split('\n');
        Assert.Equal(["NAME", "REPLICAS", "BOUND", "READY", "UPDATED", "IMAGE", "AGE"], Words(lines[0]));
        Assert.Equal(["web", "2/2", "2", "2", "2", "http://images/web.raw"], Words(lines[1])[..6]);

        var scaled = await cli.RunAsync("hostsets", "scale", "web", "--replicas", "1", "--wait", "--timeout", "90s");
        Assert.True(scaled.ExitCode == 0, scaled.ToString());
        var json = JsonNode.Parse((await cli.RunAsync("hostsets", "get", "web", "-o", "json")).Stdout)!;
        Assert.Equal(1, (int?)json["status"]!["readyReplicas"]);
        var hosts = new[] { await daemon.GetHostAsync("setcli-0"), await daemon.GetHostAsync("setcli-1") };
        Assert.Single(hosts, h => h["consumerRef"] is null);

        var deleted = await cli.RunAsync("hostsets", "delete", "web", "--wait", "--timeout", "90s");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("hostset/web deleted", deleted.Stdout);
        foreach (string host in new[] { "setcli-0", "setcli-1" })
        {
            var freed = await daemon.GetHostAsync(host);
            Assert.Null((string?)freed["consumerRef"]);
            Assert.Null(freed["image"]);
        }
        Assert.Equal(3, (await cli.RunAsync("hostsets", "get", "web")).ExitCode);
    }

    [Fact]
    public async Task A_bad_host_set_is_the_daemons_problem_printed_and_exit_1()
    {
        var run = await daemon.Cli().RunAsync("hostsets", "create", "Bad_Set", "--replicas", "-1", "--image", "http://images/x.raw");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("replicas", run.Stderr);
        Assert.Contains("template.image.checksum", run.Stderr);
        Assert.Contains("name", run.Stderr);
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
