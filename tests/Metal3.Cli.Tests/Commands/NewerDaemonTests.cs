using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Metal3.Cli.Tests.Commands;

/// <summary>
/// The built metal3ctl against a peer that answers as a newer daemon would: fields and enumeration values this build
/// does not know. The tables show them as sent, -o json|yaml keeps every field, and waits go by the states they know.
/// </summary>
public class NewerDaemonTests
{
    [Fact]
    public async Task Hosts_with_new_fields_and_a_new_state_list_and_get_and_json_keeps_what_this_build_does_not_know()
    {
        await using var peer = await ScriptedPeer.StartAsync(app =>
        {
            app.MapGet("/api/v1/hosts", () => Results.Json(new JsonObject
            {
                ["items"] = new JsonArray(Host("n0", "rebooting")), ["continue"] = null, ["resourceVersion"] = "3", ["total"] = 1,
            }));
            app.MapGet("/api/v1/hosts/{name}", (string name) => Results.Json(Host(name, "rebooting")));
        });
        var cli = new Metal3CtlProcess(peer.Url, "m3_test");

        var table = await cli.RunAsync("hosts", "list", "-o", "wide");
        var json = await cli.RunAsync("hosts", "list", "-o", "json");
        var yaml = await cli.RunAsync("hosts", "get", "n0", "-o", "yaml");
        var get = await cli.RunAsync("hosts", "get", "n0");

        foreach (var run in new[] { table, json, yaml, get })
        {
            Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        }
        string[] row = table.Stdout.TrimEnd().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["n0", "rebooting", "true", "on", "fake://n0", "firmware", "error"], row[..7]);
        Assert.Contains("degraded", row);
        Assert.Equal(["n0", "rebooting"], get.Stdout.TrimEnd().Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);
        var listed = JsonNode.Parse(json.Stdout)!["items"]![0]!;
        Assert.Equal(300, listed["powerPolicy"]!["capWatts"]!.GetValue<int>());
        Assert.Equal("acme", listed["bmc"]!["vendor"]!.GetValue<string>());
        Assert.Equal(2, listed["status"]!["provisioning"]!["stage"]!.GetValue<int>());
        Assert.Contains("capWatts: 300", yaml.Stdout);
    }

    [Fact]
    public async Task Deprovision_wait_goes_through_a_state_it_does_not_know_and_ends_on_available()
    {
        var states = new ConcurrentQueue<string>(["deprovisioning", "rebooting", "rebooting", "available"]);
        await using var peer = await ScriptedPeer.StartAsync(app =>
        {
            app.MapMethods("/api/v1/hosts/{name}", ["PATCH"], (string name) => Results.Json(Host(name, "provisioned")));
            app.MapGet("/api/v1/hosts/{name}", (string name) =>
                Results.Json(Host(name, states.Count > 1 && states.TryDequeue(out string? s) ? s : "available")));
        });

        var run = await new Metal3CtlProcess(peer.Url, "m3_test").RunAsync("hosts", "deprovision", "d0", "--wait", "--timeout", "1m");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            ["host/d0 deprovisioning requested", "host/d0: deprovisioning", "host/d0: rebooting", "host/d0: available", "host/d0 available"],
            run.Stdout.TrimEnd().Split('\n'));
    }

    /// <summary>A host as a newer daemon might write it: a new spec field, a new BMC field, new status words.</summary>
    private static JsonObject Host(string name, string state) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject(),
        ["online"] = true,
        ["bmc"] = new JsonObject { ["address"] = $"fake://{name}", ["credentialsSet"] = true, ["vendor"] = "acme" },
        ["powerPolicy"] = new JsonObject { ["capWatts"] = 300 },
        ["resourceVersion"] = "7",
        ["createdAt"] = DateTimeOffset.UtcNow.ToString("O"),
        ["status"] = new JsonObject
        {
            ["provisioning"] = new JsonObject { ["state"] = state, ["stage"] = 2 },
            ["operationalStatus"] = "degraded",
            ["errorType"] = "firmware error",
            ["errorMessage"] = null,
            ["poweredOn"] = true,
        },
    };
}
