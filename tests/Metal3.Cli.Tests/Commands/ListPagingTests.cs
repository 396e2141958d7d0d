using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Metal3.Cli.Tests.Commands;

/// <summary><c>hosts list</c> follows <c>continue</c> until the last page (the daemon pages at 1,000 hosts).</summary>
public class ListPagingTests
{
    [Fact]
    public async Task List_follows_continue_tokens_and_prints_every_page()
    {
        var seen = new ConcurrentQueue<string>();
        await using var peer = await ScriptedPeer.StartAsync(async http =>
        {
            string token = http.Request.Query["continue"].ToString();
            seen.Enqueue($"{http.Request.Query["labelSelector"]}|{token}");
            var (items, next) = token switch
            {
                "" => (new JsonArray(Host("a"), Host("b")), (string?)"page-2"),
                "page-2" => (new JsonArray(Host("c")), "page-3"),
                _ => (new JsonArray(), null),
            };
            await http.Response.WriteAsJsonAsync(new JsonObject { ["items"] = items, ["continue"] = next, ["resourceVersion"] = "3" });
        });

        var json = await new Metal3CtlProcess(peer.Url, "m3_test").RunAsync("hosts", "list", "-l", "rack=r1", "-o", "json");
        var table = await new Metal3CtlProcess(peer.Url, "m3_test").RunAsync("hosts", "list");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(["a", "b", "c"], JsonNode.Parse(json.Stdout)!["items"]!.AsArray().Select(h => h!["name"]!.GetValue<string>()));
        Assert.Equal(["rack=r1|", "rack=r1|page-2", "rack=r1|page-3"], seen.Take(3));
        Assert.Equal(4, table.Stdout.TrimEnd().Split('\n').Length); // header + a, b, c
    }

    private static JsonObject Host(string name) => new()
    {
        ["name"] = name,
        ["bmc"] = new JsonObject { ["address"] = $"fake://{name}" },
        ["status"] = new JsonObject { ["provisioning"] = new JsonObject { ["state"] = "available" } },
    };
}
