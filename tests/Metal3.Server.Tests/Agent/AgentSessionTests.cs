using System.Net;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Agent;

/// <summary>
/// One agent session per boot of the ramdisk, through the real daemon and its reconcile loop: someone else on the
/// provisioning network who names a host's MAC (it is in every DHCP packet) gets no token while the host's agent is
/// alive, an ended token never works again, and hardware comes only with the token.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class AgentSessionTests : IAsyncLifetime
{
    private const string Intruder = "198.51.100.66";
    private const string Inventory = """
        "inventory": {"cpu": {"arch": "x86_64", "model": "Forged CPU", "count": 64}, "ramMebibytes": 1,
         "storage": [{"name": "/dev/forged", "sizeBytes": 1, "rotational": false}], "nics": []}
        """;

    private static readonly string Checksum = new('c', 64);
    private Metal3App _app = null!;
    private ScriptedAgent _agent = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent-sessions");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, jobs: true, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:HeartbeatInterval"] = "00:00:01",
        });
        _agent = new ScriptedAgent(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_second_lookup_during_a_running_deploy_gets_409_and_no_token_and_the_first_agent_finishes()
    {
        const string mac = "52:54:00:5e:00:01";
        await _agent.EnrollAsync("session-deploy", mac, $$"""
            , "automatedCleaningMode": "disabled", "userData": "#cloud-config\nsecret: 1\n",
            "image": {"url": "http://10.0.2.2/img.raw", "checksum": "{{Checksum}}", "checksumType": "sha256", "format": "raw"}
            """);
        await _agent.BootedAsync("session-deploy", "inspect");
        await _agent.RunAsync("session-deploy", mac, "inspect", """{"succeeded": true}""");
        await _agent.StateAsync("session-deploy", "provisioning");
        await _agent.BootedAsync("session-deploy", "deploy");
        var (name, token) = await _agent.SessionAsync(mac);
        var deploy = await _agent.NextCommandAsync(name, token);
        Assert.Equal("deploy", (string?)deploy["kind"]);
        long id = (long)deploy["id"]!;

        var (status, contentType, body) = await _agent.LookupAsync($$"""{"macs": ["{{mac}}"], {{Inventory}}}""", from: Intruder);
        Assert.Equal(409, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Null(body!["token"]);
        Assert.Contains("live agent session", (string?)body["detail"]);

        // The real agent is untouched: its token still works, its deploy goes on and ends the host's provisioning.
        var beat = await _agent.HeartbeatAsync(name, token, $$"""{"commandId": {{id}}, "bytesWritten": 512, "bytesTotal": 1024}""");
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Null((await JsonOf(beat))["command"]);
        await _agent.ResultAsync(name, token, id, """{"succeeded": true}""");
        await _agent.StateAsync("session-deploy", "provisioned");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _agent.HeartbeatAsync(name, token)).StatusCode);
    }

    [Fact]
    public async Task A_refused_lookup_leaves_a_warning_event_naming_the_callers_address()
    {
        const string mac = "52:54:00:5e:00:02";
        await _agent.EnrollAsync("session-event", mac);
        await _agent.BootedAsync("session-event", "inspect");
        await _agent.SessionAsync(mac);

        var (status, _, _) = await _agent.LookupAsync($$"""{"macs": ["{{mac}}"]}""", from: Intruder);
        Assert.Equal(409, status);

        var refused = Assert.Single(await _agent.EventsAsync("session-event"), e => (string?)e!["reason"] == "AgentLookupRefused")!;
        Assert.Equal("Warning", (string?)refused["type"]);
        Assert.Contains(Intruder, (string?)refused["message"]);
        Assert.DoesNotContain(ScriptedAgent.AgentAddress, (string?)refused["message"]);
        var issued = Assert.Single(await _agent.EventsAsync("session-event"), e => (string?)e!["reason"] == "AgentLookedUp")!;
        Assert.Contains(ScriptedAgent.AgentAddress, (string?)issued["message"]);
    }

    [Fact]
    public async Task An_old_token_replayed_after_the_host_left_and_re_entered_an_agent_state_gets_401()
    {
        const string mac = "52:54:00:5e:00:03";
        await _agent.EnrollAsync("session-replay", mac);
        await _agent.BootedAsync("session-replay", "inspect");
        string inspectToken = await _agent.RunAsync("session-replay", mac, "inspect", """{"succeeded": true}""");
        await _agent.BootedAsync("session-replay", "clean");
        // The daemon rebooted the host into the agent for cleaning: that power action ended the inspection boot's token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _agent.HeartbeatAsync("session-replay", inspectToken)).StatusCode);
        string cleanToken = await _agent.RunAsync("session-replay", mac, "erase", """{"succeeded": true}""");
        await _agent.StateAsync("session-replay", "available");
        // Leaving the agent states (no power action on the way from preparing) ended the cleaning boot's token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _agent.HeartbeatAsync("session-replay", cleanToken)).StatusCode);

        var patch = await _agent.Admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/session-replay", $$"""
            {"image": {"url": "http://10.0.2.2/img.raw", "checksum": "{{Checksum}}", "checksumType": "sha256", "format": "raw"},
             "userData": "#cloud-config\nsecret: 1\n"}
            """, mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await _agent.StateAsync("session-replay", "provisioning");
        await _agent.BootedAsync("session-replay", "deploy");

        foreach (string old in new[] { inspectToken, cleanToken })
        {
            var replayed = await _agent.HeartbeatAsync("session-replay", old);
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
            Assert.DoesNotContain("secret", await replayed.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await _agent.PostAsync("/api/v1/agent/hosts/session-replay/commands/1/result", """{"succeeded": true}""", old)).StatusCode);
        }
        // The deploy waits for this boot's agent, which still gets it.
        var (name, token) = await _agent.SessionAsync(mac);
        var deploy = await _agent.NextCommandAsync(name, token);
        Assert.Equal("deploy", (string?)deploy["kind"]);
        Assert.Equal("#cloud-config\nsecret: 1\n", (string?)deploy["deploy"]!["configDrive"]!["userData"]);
    }

    [Fact]
    public async Task Inventory_in_a_lookup_without_the_token_changes_nothing()
    {
        const string mac = "52:54:00:5e:00:04";
        await _agent.EnrollAsync("session-inventory", mac);
        await _agent.BootedAsync("session-inventory", "inspect");

        var (status, _, body) = await _agent.LookupAsync($$"""{"macs": ["{{mac}}"], {{Inventory}}}""", from: Intruder);
        Assert.Equal(200, status);
        // The inspection still waits for a command result: the lookup answered nothing. Give the reconcile loop time to
        // act on it if it had, then look.
        var token = (string)body!["token"]!;
        var inspect = await _agent.NextCommandAsync("session-inventory", token);
        Assert.Equal("inspect", (string?)inspect["kind"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var host = await _agent.HostAsync("session-inventory");
        Assert.Equal("inspecting", (string?)host["status"]!["provisioning"]!["state"]);
        Assert.Null(host["status"]!["hardware"]);

        // A refused lookup with an inventory (the session is alive now) changes nothing either.
        var (again, _, _) = await _agent.LookupAsync($$"""{"macs": ["{{mac}}"], {{Inventory}}}""", from: Intruder);
        Assert.Equal(409, again);
        await Task.Delay(TimeSpan.FromSeconds(2));
        host = await _agent.HostAsync("session-inventory");
        Assert.Equal("inspecting", (string?)host["status"]!["provisioning"]!["state"]);
        Assert.Null(host["status"]!["hardware"]);

        // With the token, as the inspect command's result, it is taken.
        await _agent.ResultAsync("session-inventory", token, (long)inspect["id"]!, """
            {"succeeded": true, "hardware": {"cpu": {"arch": "x86_64", "model": "QEMU Virtual CPU", "count": 2}, "ramMebibytes": 2048,
             "storage": [], "nics": []}}
            """);
        await Eventually.Until(async () =>
                (string?)(await _agent.HostAsync("session-inventory"))["status"]!["hardware"]?["cpu"]?["model"] == "QEMU Virtual CPU",
            TimeSpan.FromSeconds(30), async () => (await _agent.HostAsync("session-inventory")).ToJsonString());
    }
}
