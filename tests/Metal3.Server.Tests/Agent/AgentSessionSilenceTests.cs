using System.Net;
using Metal3.Server.Tests.Support;

namespace Metal3.Server.Tests.Agent;

/// <summary>
/// How a ramdisk that rebooted without the daemon (a crash, someone at the console) gets a token: once its old session
/// has gone without a heartbeat for the heartbeat timeout, shortened here to seconds.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class AgentSessionSilenceTests : IAsyncLifetime
{
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(3);
    private Metal3App _app = null!;
    private ScriptedAgent _agent = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent-silence");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, jobs: true, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
        });
        _agent = new ScriptedAgent(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_lookup_after_the_session_went_silent_gets_a_new_token_and_the_old_one_ends()
    {
        const string mac = "52:54:00:5e:01:01";
        await _agent.EnrollAsync("silent-session", mac);
        await _agent.BootedAsync("silent-session", "inspect");
        var (name, first) = await _agent.SessionAsync(mac);
        var issued = DateTime.UtcNow;

        Assert.Equal(409, (await _agent.LookupAsync($$"""{"macs": ["{{mac}}"]}""")).Status);

        string? second = null;
        await Eventually.Until(async () =>
            {
                var (status, _, body) = await _agent.LookupAsync($$"""{"macs": ["{{mac}}"]}""");
                second = (string?)body?["token"];
                return status == 200;
            }, TimeSpan.FromSeconds(30), () => Task.FromResult("no lookup succeeded after the session went silent"));
        Assert.True(DateTime.UtcNow - issued >= HeartbeatTimeout - TimeSpan.FromMilliseconds(100),
            "a new token came before the old session had been silent for the heartbeat timeout");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _agent.HeartbeatAsync(name, first)).StatusCode);
        var command = await _agent.NextCommandAsync(name, second!);
        Assert.Equal("inspect", (string?)command["kind"]);
    }
}
