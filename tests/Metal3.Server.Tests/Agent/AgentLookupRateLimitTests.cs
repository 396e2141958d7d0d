using Metal3.Server.Tests.Support;

namespace Metal3.Server.Tests.Agent;

/// <summary>The agent lookup is open to the provisioning network, so each source address gets a few a minute.</summary>
public sealed class AgentLookupRateLimitTests : IAsyncLifetime
{
    private const string Lookup = """{"macs": ["52:54:00:5e:02:01"]}""";
    private Metal3App _app = null!;
    private ScriptedAgent _agent = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "agent-rate");
        _app = new Metal3App(StoreKind.Sqlite, dir, cs, extra: new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:LookupsPerMinute"] = "3",
        });
        _agent = new ScriptedAgent(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Lookups_beyond_the_limit_from_one_address_get_429_with_retry_after_and_other_addresses_do_not()
    {
        for (int i = 0; i < 3; i++)
        {
            // No host has this MAC: the lookup is answered (404), and counted.
            Assert.Equal(404, (await _agent.LookupAsync(Lookup, from: "203.0.113.7")).Status);
        }

        var (refused, body) = await _agent.LookupResponseAsync(Lookup, from: "203.0.113.7");
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Contains("agent lookups a minute", body);
        Assert.True(int.TryParse(refused.Headers.RetryAfter, out int seconds), $"Retry-After: '{refused.Headers.RetryAfter}'");
        Assert.InRange(seconds, 1, 60);

        Assert.Equal(404, (await _agent.LookupAsync(Lookup, from: "203.0.113.8")).Status);
    }
}
