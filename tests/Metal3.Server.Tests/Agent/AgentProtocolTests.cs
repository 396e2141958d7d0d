using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Agent;

/// <summary>
/// The deploy agent protocol through the real daemon and its reconcile loop: a scripted agent (plain HTTP, as the
/// ramdisk agent sends it) drives a host whose fake BMC defers to the ramdisk agent (<c>agent=ramdisk</c>).
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class AgentProtocolTests : IAsyncLifetime
{
    private static readonly string Checksum = new('c', 64);
    private Metal3App _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _anonymous = null!;
    private ScriptedAgent _script = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, jobs: true, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:HeartbeatInterval"] = "00:00:01",
        });
        _admin = _app.Admin();
        _anonymous = _app.WithToken(null);
        _script = new ScriptedAgent(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_agent_inspects_cleans_and_deploys_a_host_and_its_reports_land_in_the_status()
    {
        await EnrollAsync("agent-a", "52:54:00:aa:00:01");
        await _script.BootedAsync("agent-a", "inspect");
        var (name, token) = await LookupAsync("52:54:00:AA:00:01");
        Assert.Equal("agent-a", name);

        var inspect = await NextCommandAsync(name, token);
        Assert.Equal("inspect", (string?)inspect["kind"]);
        await ResultAsync(name, token, (long)inspect["id"]!, """
            {"succeeded": true, "hardware": {"cpu": {"arch": "x86_64", "model": "QEMU Virtual CPU", "count": 2},
             "ramMebibytes": 2048, "storage": [{"name": "/dev/vda", "sizeBytes": 10737418240, "rotational": true}],
             "nics": [{"name": "eth0", "mac": "52:54:00:aa:00:01", "link": true}]}}
            """);
        await StateAsync("agent-a", "preparing");
        var host = await JsonOf(await _admin.GetAsync("/api/v1/hosts/agent-a"));
        Assert.Equal("QEMU Virtual CPU", (string?)host["status"]!["hardware"]!["cpu"]!["model"]);
        Assert.Equal("/dev/vda", (string?)host["status"]!["hardware"]!["storage"]![0]!["name"]);

        // Each command comes with a reboot into the agent, and each boot's agent has its own token.
        await _script.BootedAsync("agent-a", "clean");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"/api/v1/agent/hosts/{name}/heartbeat", "{}", token)).StatusCode);
        (_, token) = await LookupAsync("52:54:00:aa:00:01");
        var erase = await NextCommandAsync(name, token);
        Assert.Equal("erase", (string?)erase["kind"]);
        await ResultAsync(name, token, (long)erase["id"]!, """{"succeeded": true}""");
        await StateAsync("agent-a", "available");

        var patch = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/agent-a", $$"""
            {"image": {"url": "http://10.0.2.2/img.raw", "checksum": "{{Checksum}}", "checksumType": "sha256", "format": "raw"},
             "rootDeviceHints": {"minSizeGigabytes": 5}, "userData": "#cloud-config\n"}
            """, mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        await StateAsync("agent-a", "provisioning");
        await _script.BootedAsync("agent-a", "deploy");
        (_, token) = await LookupAsync("52:54:00:aa:00:01");

        var deploy = await NextCommandAsync(name, token);
        Assert.Equal("deploy", (string?)deploy["kind"]);
        Assert.Equal("http://10.0.2.2/img.raw", (string?)deploy["deploy"]!["image"]!["url"]);
        Assert.Equal(5, (int?)deploy["deploy"]!["rootDeviceHints"]!["minSizeGigabytes"]);
        Assert.Equal("#cloud-config\n", (string?)deploy["deploy"]!["configDrive"]!["userData"]);
        Assert.Equal("agent-a", (string?)deploy["deploy"]!["configDrive"]!["hostName"]);

        long id = (long)deploy["id"]!;
        await HeartbeatAsync(name, token, $$"""{"commandId": {{id}}, "bytesWritten": 1048576, "bytesTotal": 4194304}""");
        await Eventually.Until(async () =>
            {
                var h = await JsonOf(await _admin.GetAsync("/api/v1/hosts/agent-a"));
                return (long?)h["status"]!["provisioning"]!["progress"]?["bytesWritten"] == 1048576
                    && (long?)h["status"]!["provisioning"]!["progress"]?["bytesTotal"] == 4194304;
            }, TimeSpan.FromSeconds(30), async () => (await _admin.GetStringAsync("/api/v1/hosts/agent-a")));

        await ResultAsync(name, token, id, """{"succeeded": true}""");
        await StateAsync("agent-a", "provisioned");

        // The host rebooted into its disk and left the agent states: the token has ended, and a new lookup is refused.
        var late = await PostAsync($"/api/v1/agent/hosts/{name}/heartbeat", "{}", token);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        var again = await PostAsync("/api/v1/agent/lookup", """{"macs": ["52:54:00:aa:00:01"]}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("provisioned", (string?)(await JsonOf(again))["detail"]);
    }

    [Fact]
    public async Task A_failed_command_puts_the_host_in_error_with_the_agents_message()
    {
        await EnrollAsync("agent-f", "52:54:00:aa:00:0f");
        await _script.BootedAsync("agent-f", "inspect");
        var (name, token) = await LookupAsync("52:54:00:aa:00:0f");
        var inspect = await NextCommandAsync(name, token);
        await ResultAsync(name, token, (long)inspect["id"]!, """{"succeeded": false, "message": "no disks found"}""");
        await Eventually.Until(async () =>
            {
                var h = await JsonOf(await _admin.GetAsync("/api/v1/hosts/agent-f"));
                return (string?)h["status"]!["errorType"] == "inspection error"
                    && ((string?)h["status"]!["errorMessage"])?.Contains("no disks found") == true;
            }, TimeSpan.FromSeconds(30), async () => await _admin.GetStringAsync("/api/v1/hosts/agent-f"));
    }

    [Fact]
    public async Task Tokens_work_only_for_their_own_host_and_a_second_lookup_gets_none()
    {
        await EnrollAsync("agent-b", "52:54:00:bb:00:01");
        await EnrollAsync("agent-c", "52:54:00:cc:00:01");
        await _script.BootedAsync("agent-b", "inspect");
        await _script.BootedAsync("agent-c", "inspect");
        var (b, tokenB) = await LookupAsync("52:54:00:bb:00:01");
        var (c, _) = await LookupAsync("52:54:00:cc:00:01");

        var otherHost = await PostAsync($"/api/v1/agent/hosts/{c}/heartbeat", "{}", tokenB);
        Assert.Equal(HttpStatusCode.Forbidden, otherHost.StatusCode);
        Assert.Equal("application/problem+json", otherHost.Content.Headers.ContentType?.MediaType);
        var otherResult = await PostAsync($"/api/v1/agent/hosts/{c}/commands/1/result", """{"succeeded": true}""", tokenB);
        Assert.Equal(HttpStatusCode.Forbidden, otherResult.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"/api/v1/agent/hosts/{b}/heartbeat", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"/api/v1/agent/hosts/{b}/heartbeat", "{}", "not-a-token")).StatusCode);
        // The admin API token is not an agent token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync($"/api/v1/agent/hosts/{b}/heartbeat", "{}", _app.AdminToken)).StatusCode);

        // While b's agent is alive, another lookup naming its MAC gets no token, and b's token goes on working.
        var second = await PostAsync("/api/v1/agent/lookup", """{"macs": ["52:54:00:bb:00:01"]}""");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Null((await JsonOf(second))["token"]);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync($"/api/v1/agent/hosts/{b}/heartbeat", "{}", tokenB)).StatusCode);
    }

    [Fact]
    public async Task Lookup_is_refused_for_unknown_macs_bad_bodies_and_hosts_not_expecting_an_agent()
    {
        var unknown = await PostAsync("/api/v1/agent/lookup", """{"macs": ["52:54:00:ff:ff:ff"]}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("52:54:00:ff:ff:ff", (string?)(await JsonOf(unknown))["detail"]);

        var noMacs = await PostAsync("/api/v1/agent/lookup", """{"macs": ["nonsense"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, noMacs.StatusCode);
        Assert.NotNull((await JsonOf(noMacs))["errors"]!["macs"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("/api/v1/agent/lookup", "{not json")).StatusCode);

        // Enrolled with the ramdisk agent off is not possible here; a host that never leaves registering (bad
        // credentials on a real BMC address nobody answers) does not expect an agent.
        var r = await _admin.PostAsync("/api/v1/hosts", Json("""
            {"name": "agent-reg", "bootMacAddress": "52:54:00:dd:00:01", "bmc": {"address": "fake://agent-reg?fail=credentials&agent=ramdisk"}}
            """));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var refused = await PostAsync("/api/v1/agent/lookup", """{"macs": ["52:54:00:dd:00:01"]}""");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("registering", (string?)(await JsonOf(refused))["detail"]);
    }

    private async Task EnrollAsync(string name, string mac)
    {
        var r = await _admin.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "bootMacAddress": "{{mac}}", "bmc": {"address": "fake://{{name}}?agent=ramdisk"}, "online": true}
            """));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    private Task StateAsync(string name, string state) =>
        Eventually.Until(async () =>
            (string?)(await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}")))["status"]!["provisioning"]!["state"] == state,
            TimeSpan.FromSeconds(30), async () => $"{state} expected: " + await _admin.GetStringAsync($"/api/v1/hosts/{name}"));

    private async Task<(string Name, string Token)> LookupAsync(string mac)
    {
        var r = await PostAsync("/api/v1/agent/lookup", $$"""{"macs": ["02:00:00:00:00:09", "{{mac}}"]}""");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await JsonOf(r);
        Assert.Equal(1, (int?)body["heartbeatSeconds"]);
        return ((string)body["hostName"]!, (string)body["token"]!);
    }

    /// <summary>Heartbeats until the daemon hands out a command (the reconcile loop writes it on its own time).</summary>
    private async Task<JsonNode> NextCommandAsync(string name, string token)
    {
        JsonNode? command = null;
        await Eventually.Until(async () =>
            {
                command = (await HeartbeatAsync(name, token, "{}"))["command"];
                return command is not null;
            }, TimeSpan.FromSeconds(30), () => Task.FromResult("no command came"));
        return command!;
    }

    private async Task<JsonNode> HeartbeatAsync(string name, string token, string body)
    {
        var r = await PostAsync($"/api/v1/agent/hosts/{name}/heartbeat", body, token);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await JsonOf(r);
    }

    private async Task ResultAsync(string name, string token, long id, string body)
    {
        var r = await PostAsync($"/api/v1/agent/hosts/{name}/commands/{id}/result", body, token);
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        // The same result again is for a command that is no longer running.
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync($"/api/v1/agent/hosts/{name}/commands/{id}/result", body, token)).StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string url, string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return _anonymous.SendAsync(request);
    }
}
