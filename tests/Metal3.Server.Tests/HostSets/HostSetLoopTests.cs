using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.HostSets;

/// <summary>
/// Host sets kept by the daemon as a process, over fake:// hosts: scaled up, their claims provision hosts; scaled down,
/// pending claims go first, then the newest bound; a new image rolls over the replicas one at a time; a deleted set
/// gives its hosts back clean.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public class HostSetLoopTests(HostSetLoopTests.SqliteDaemon sqlite, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<HostSetLoopTests.SqliteDaemon>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly HttpClient _client = sqlite.Client;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>
    /// One SQLite daemon for the class, its hosts enrolled and available once: each test's hosts carry a pool label of
    /// their own, and each set selects its pool, so the tests do not see each other's.
    /// </summary>
    public sealed class SqliteDaemon : IAsyncLifetime
    {
        private DaemonProcess _daemon = null!;
        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _daemon = await DaemonProcess.StartAsync(HostSetFixtures.NewDir(), null, HostSetFixtures.Quiet);
            Client = _daemon.Client();
            await HostSetFixtures.EnrollPoolAsync(Client, "scale", 4);
            await HostSetFixtures.EnrollPoolAsync(Client, "roll", 4);
            await HostSetFixtures.EnrollPoolAsync(Client, "gone", 2);
            await HostSetFixtures.AllAvailableAsync(Client, TimeSpan.FromSeconds(60));
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _daemon.DisposeAsync();
        }
    }

    private void Mark(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    [Fact]
    public async Task Scaled_0_to_4_to_1_provisions_four_hosts_then_frees_three_pending_first_then_newest()
    {
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/api/v1/hostsets", Json(HostSetFixtures.SetBody("scale", 0, "v1")))).StatusCode);
        await ScaleAsync("scale", 4);
        await Eventually.Until(async () => Ready(await SetAsync("scale")) == 4, Deadline, async () => $"4 ready: {await SetAsync("scale")}");
        Mark("4 provisioned");
        var provisioned = await ClaimsAsync("scale");
        Assert.All(provisioned, c => Assert.Equal("scale", (string?)c["ownerSet"]));
        Assert.Equal(4, provisioned.Select(c => (string?)c["status"]!["host"]).Distinct().Count());
        Assert.All(await PoolAsync("scale"), h => Assert.Equal("provisioned", HostSetFixtures.State(h)));

        // Six replicas on four hosts: two claims wait. Down to three: both pending claims go, and the newest bound one.
        await ScaleAsync("scale", 6);
        await Eventually.Until(async () => (await ClaimsAsync("scale")).Count(c => Phase(c) == "Pending") == 2, Deadline,
            async () => $"2 pending: {Phases(await ClaimsAsync("scale"))}");
        var newestFirst = provisioned.OrderByDescending(c => (DateTimeOffset)c["createdAt"]!).ThenByDescending(c => (string)c["name"]!, StringComparer.Ordinal)
            .Select(c => (string)c["name"]!).ToList();
        await ScaleAsync("scale", 3);
        await Eventually.Until(async () => Live(await ClaimsAsync("scale")).Count == 3, Deadline, async () => $"3 replicas: {Phases(await ClaimsAsync("scale"))}");
        Assert.Equal(newestFirst[1..].Order(StringComparer.Ordinal), Live(await ClaimsAsync("scale")).Select(c => (string)c["name"]!).Order(StringComparer.Ordinal));

        await ScaleAsync("scale", 1);
        await Eventually.Until(async () => (await ClaimsAsync("scale")).Count == 1 && (await PoolAsync("scale")).Count(h => HostSetFixtures.State(h) == "available") == 3,
            Deadline, async () => $"1 claim, 3 hosts free: {Phases(await ClaimsAsync("scale"))}");
        Mark("3 hosts free");
        var last = Assert.Single(await ClaimsAsync("scale"));
        Assert.Equal(newestFirst[^1], (string?)last["name"]);
        Assert.Equal("Provisioned", Phase(last));
        var hosts = await PoolAsync("scale");
        Assert.Equal([(string?)last["status"]!["host"]], hosts.Where(h => h["consumerRef"] is not null).Select(h => (string?)h["name"]));
        Assert.All(hosts.Where(h => h["consumerRef"] is null), h => Assert.Null(h["image"]));
        var set = await SetAsync("scale");
        Assert.Equal((1, 1, 1), ((int)set["status"]!["replicas"]!, (int)set["status"]!["boundReplicas"]!, (int)set["status"]!["readyReplicas"]!));
    }

    [Fact]
    public async Task A_new_image_rolls_over_the_replicas_with_never_more_than_one_unavailable()
    {
        await _client.PostAsync("/api/v1/hostsets", Json(HostSetFixtures.SetBody("roll", 3, "v1")));
        await Eventually.Until(async () => Ready(await SetAsync("roll")) == 3, Deadline, async () => $"3 ready: {await SetAsync("roll")}");
        Mark("3 provisioned with v1");
        var before = (await ClaimsAsync("roll")).Select(c => (string)c["name"]!).ToList();

        var patched = await _client.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/roll",
            """{"template": {"image": {"url": "http://images/roll-v2.raw"}}}""", mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        string newHash = (string)(await JsonOf(patched))["status"]!["templateHash"]!;

        int maxUnavailable = 0, samples = 0;
        await Eventually.Until(async () =>
        {
            var live = Live(await ClaimsAsync("roll"));
            samples++;
            maxUnavailable = Math.Max(maxUnavailable, 3 - live.Count(c => Phase(c) == "Provisioned"));
            return live.Count == 3 && live.All(c => Phase(c) == "Provisioned" && (string?)c["templateHash"] == newHash);
        }, TimeSpan.FromSeconds(25), async () => $"all on the new template: {Phases(await ClaimsAsync("roll"))}", TimeSpan.FromMilliseconds(50));
        Mark($"rolled over, {samples} samples");

        Assert.Equal(1, maxUnavailable);
        var after = Live(await ClaimsAsync("roll")).Select(c => (string)c["name"]!).ToList();
        Assert.Equal(3, after.Count);
        Assert.Empty(after.Intersect(before));
        var hosts = (await PoolAsync("roll")).Where(h => h["consumerRef"] is not null).ToList();
        Assert.Equal(3, hosts.Count);
        Assert.All(hosts, h => Assert.Equal("http://images/roll-v2.raw", (string?)h["image"]!["url"]));
        var set = await SetAsync("roll");
        Assert.Equal(3, (int)set["status"]!["updatedReplicas"]!);
    }

    [Fact]
    public async Task Deleting_a_set_deletes_its_claims_and_frees_its_hosts_clean()
    {
        await _client.PostAsync("/api/v1/hostsets", Json(HostSetFixtures.SetBody("gone", 2, "v1")));
        await Eventually.Until(async () => Ready(await SetAsync("gone")) == 2, Deadline, async () => $"2 ready: {await SetAsync("gone")}");

        Assert.Equal(HttpStatusCode.Accepted, (await _client.DeleteAsync("/api/v1/hostsets/gone")).StatusCode);

        await Eventually.Until(async () => (await _client.GetAsync("/api/v1/hostsets/gone")).StatusCode == HttpStatusCode.NotFound, Deadline,
            async () => $"set gone: {Phases(await ClaimsAsync("gone"))}");
        Assert.Empty(await ClaimsAsync("gone"));
        var hosts = await PoolAsync("gone");
        Assert.All(hosts, h =>
        {
            Assert.Equal("available", HostSetFixtures.State(h));
            Assert.Null((string?)h["consumerRef"]);
            Assert.Null(h["image"]);
            Assert.Null((string?)h["userData"]);
        });
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync("/api/v1/hostsets", Json(HostSetFixtures.SetBody("gone", 0, "v1")))).StatusCode);
    }

    /// <summary>
    /// Two daemons keep the same sets on one PostgreSQL, each scaled through the other one's API in turn: neither ever
    /// makes a claim the other has already made. The first is SIGKILLed right after it accepted a scale, wherever its
    /// pass was: the second carries on from the rows. The set selects no host, so every claim stays Pending and counts.
    /// </summary>
    [Fact]
    public async Task Postgres_two_daemons_never_keep_more_claims_than_replicas_even_when_one_is_killed()
    {
        var pg = await PostgresServer.GetAsync();
        string database = await pg.CreateDatabaseAsync("hostsets");
        Mark("postgres ready");
        await using var first = await DaemonProcess.StartAsync(HostSetFixtures.NewDir(), database, HostSetFixtures.Quiet);
        Mark("first daemon ready (database migrated)");
        await using var second = await DaemonProcess.StartAsync(HostSetFixtures.NewDir(), database, HostSetFixtures.Quiet);
        using var a = first.Client();
        using var b = second.Client();
        Mark("two daemons ready");
        Assert.Equal(HttpStatusCode.Created, (await a.PostAsync("/api/v1/hostsets", Json(HostSetFixtures.SetBody("nowhere", 2, "v1")))).StatusCode);

        int most = 0, previous = 2;
        foreach (var (client, replicas) in new[] { (b, 6), (a, 11), (a, 17), (b, 3) })
        {
            var response = await client.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/nowhere", $$"""{"replicas": {{replicas}}}""",
                mediaType: "application/merge-patch+json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (replicas == 17)
            {
                first.Kill();
                Mark("first daemon killed");
            }
            (int expected, int before) = (replicas, previous);
            await Eventually.Until(async () =>
            {
                int live = Live(await ClaimsAsync(b, "nowhere")).Count;
                most = Math.Max(most, live);
                Assert.True(live <= Math.Max(expected, before), $"{live} claims while scaling from {before} to {expected} replicas");
                return live == expected;
            }, Deadline, async () => $"{expected} claims: {Phases(await ClaimsAsync(b, "nowhere"))}", TimeSpan.FromMilliseconds(20));
            Mark($"scaled to {replicas}");
            previous = replicas;
        }
        // The surviving loop has ticked several times over the settled set: still exactly as many as asked.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(3, Live(await ClaimsAsync(b, "nowhere")).Count);
        Assert.Equal(17, most);
        var created = (await JsonOf(await b.GetAsync("/api/v1/hostsets/nowhere/events?limit=500")))["items"]!.AsArray()
            .Count(e => (string?)e!["reason"] == "ClaimCreated");
        Assert.Equal(17, created);
    }

    private async Task ScaleAsync(string set, int replicas)
    {
        var response = await _client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/hostsets/{set}", $$"""{"replicas": {{replicas}}}""",
            mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Mark($"{set} scaled to {replicas}");
    }

    private async Task<JsonNode> SetAsync(string name) => await JsonOf(await _client.GetAsync($"/api/v1/hostsets/{name}"));

    private Task<List<JsonNode>> ClaimsAsync(string set) => ClaimsAsync(_client, set);

    private static async Task<List<JsonNode>> ClaimsAsync(HttpClient client, string set) =>
        (await JsonOf(await client.GetAsync($"/api/v1/claims?labelSelector=metal3.io/host-set={set}")))["items"]!.AsArray().Select(c => c!).ToList();

    private async Task<List<JsonNode>> PoolAsync(string pool) =>
        (await JsonOf(await _client.GetAsync($"/api/v1/hosts?labelSelector=pool={pool}")))["items"]!.AsArray().Select(h => h!).ToList();

    private static List<JsonNode> Live(List<JsonNode> claims) => claims.Where(c => Phase(c) != "Releasing").ToList();

    private static int Ready(JsonNode set) => (int)set["status"]!["readyReplicas"]!;

    private static string? Phase(JsonNode claim) => (string?)claim["status"]?["phase"];

    private static string Phases(List<JsonNode> claims) =>
        string.Join(", ", claims.Select(c => $"{c["name"]}={Phase(c)}@{c["status"]!["host"]}"));
}
