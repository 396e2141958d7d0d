using System.Net;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Agent;

/// <summary>The ramdisk agent's timeouts, shortened to seconds: a host that never boots the agent, an agent that goes silent.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class AgentTimeoutTests : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent-timeouts");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, jobs: true, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:BootTimeout"] = "00:00:03",
            ["Metal3:Agent:HeartbeatTimeout"] = "00:00:03",
        });
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_host_whose_agent_never_fetches_its_command_fails_inspection_naming_the_boot()
    {
        await EnrollAsync("silent-boot", "52:54:00:ee:00:01");
        await ErrorAsync("silent-boot", "inspection error", "no deploy agent fetched its command");
    }

    [Fact]
    public async Task An_agent_that_stops_heartbeating_fails_its_command()
    {
        await EnrollAsync("silent-agent", "52:54:00:ee:00:02");
        // Looked up after the reboot into the agent, which would end a token issued before it.
        var agent = new ScriptedAgent(_app);
        await agent.BootedAsync("silent-agent", "inspect");
        var (name, token) = await agent.SessionAsync("52:54:00:ee:00:02");
        var command = await agent.NextCommandAsync(name, token);
        Assert.Equal("inspect", (string?)command!["kind"]);

        await ErrorAsync("silent-agent", "inspection error", "stopped heartbeating");
    }

    private async Task EnrollAsync(string name, string mac)
    {
        var r = await _admin.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "bootMacAddress": "{{mac}}", "bmc": {"address": "fake://{{name}}?agent=ramdisk"}, "online": true}
            """));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    private Task ErrorAsync(string name, string errorType, string message) =>
        Eventually.Until(async () =>
            {
                var status = (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}")))["status"]!;
                return (string?)status["errorType"] == errorType && ((string?)status["errorMessage"])?.Contains(message) == true;
            }, TimeSpan.FromSeconds(40), async () => await _admin.GetStringAsync($"/api/v1/hosts/{name}"));
}
