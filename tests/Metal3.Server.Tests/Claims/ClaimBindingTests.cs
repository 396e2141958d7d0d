using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Claims;

/// <summary>
/// Claims bound by the daemon as a process, over fake:// hosts: many claims racing for few hosts each get one host or
/// wait, in creation order; a host held by hand is never taken; a claim's image provisions its host, a deleted host
/// sends its claim back to the queue, and a deleted claim gives its host back clean.
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public class ClaimBindingTests(ClaimBindingTests.SqliteDaemon sqlite, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<ClaimBindingTests.SqliteDaemon>
{
    private static readonly List<string> Pool = Enumerable.Range(0, 10).Select(i => $"pool-{i:D2}").ToList();

    /// <summary>
    /// One SQLite daemon for the class, its hosts enrolled and available once: the hosts of each test carry labels of
    /// their own, and so do the claims, so the tests do not see each other's.
    /// </summary>
    public sealed class SqliteDaemon : IAsyncLifetime
    {
        private DaemonProcess _daemon = null!;
        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _daemon = await DaemonProcess.StartAsync(NewDir(), null, Quiet);
            Client = _daemon.Client();
            await EnrollQueueHostsAsync(Client);
            await EnrollAsync(Client, "web-a", """{"role": "web"}""");
            await EnrollAsync(Client, "web-b", """{"role": "web"}""");
            await AllAvailableAsync(Client);
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await _daemon.DisposeAsync();
        }
    }

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    private void Mark(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    private static readonly string Checksum = new('c', 64);
    private static readonly string[] Quiet = ["--Logging:LogLevel:Default", "Warning"];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Sqlite_thirty_claims_on_ten_hosts_bind_ten_distinct_hosts_and_the_rest_in_creation_order() =>
        ThirtyClaimsOnTenHostsAsync(sqlite.Client);

    [Fact]
    public async Task Postgres_thirty_claims_on_ten_hosts_bind_ten_distinct_hosts_and_the_rest_in_creation_order()
    {
        var pg = await PostgresServer.GetAsync();
        await using var daemon = await DaemonProcess.StartAsync(NewDir(), await pg.CreateDatabaseAsync("claims"), Quiet);
        using var client = daemon.Client();
        Mark("daemon ready");
        await EnrollQueueHostsAsync(client);
        await AllAvailableAsync(client);
        await ThirtyClaimsOnTenHostsAsync(client);
    }

    /// <summary>Ten hosts in pool a; one more that matches but is held by hand; one outside the selector.</summary>
    private static async Task EnrollQueueHostsAsync(HttpClient client)
    {
        await Task.WhenAll(Pool.Select(name => EnrollAsync(client, name, """{"pool": "a"}""")));
        await EnrollAsync(client, "held", """{"pool": "a"}""", """, "consumerRef": "ops/maintenance" """);
        await EnrollAsync(client, "other", """{"pool": "b"}""");
    }

    private static Task AllAvailableAsync(HttpClient client) =>
        Eventually.Until(async () => (await HostsAsync(client)).All(h => State(h) == "available"), Deadline,
            async () => "every host available: " + string.Join(", ", (await HostsAsync(client)).Select(h => $"{h["name"]}={State(h)}")));

    private async Task ThirtyClaimsOnTenHostsAsync(HttpClient client)
    {
        var pool = Pool;
        Mark("hosts available");
        await Parallel.ForEachAsync(Enumerable.Range(0, 30), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, ct) =>
        {
            var response = await client.PostAsync("/api/v1/claims", Json($$"""{"name": "claim-{{i:D2}}", "labels": {"test": "queue"}, "labelSelector": "pool=a"}"""), ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        });
        await Eventually.Until(async () => Count(await ClaimsAsync(client), "Bound") == 10, Deadline,
            async () => "10 bound claims: " + Phases(await ClaimsAsync(client)));

        Mark("10 claims bound");
        var claims = await ClaimsAsync(client);
        Assert.Equal(20, Count(claims, "Pending"));
        var bound = claims.Where(c => Phase(c) == "Bound").ToList();
        var boundHosts = bound.Select(c => (string)c["status"]!["host"]!).ToList();
        Assert.Equal(pool, boundHosts.Order(StringComparer.Ordinal));
        var hosts = (await HostsAsync(client)).ToDictionary(h => (string)h["name"]!);
        Assert.All(bound, c => Assert.Equal($"claim/{c["name"]}", (string?)hosts[(string)c["status"]!["host"]!]["consumerRef"]));
        Assert.Equal("ops/maintenance", (string?)hosts["held"]["consumerRef"]);
        Assert.Null((string?)hosts["other"]["consumerRef"]);

        // The queue: each deleted bound claim frees its host, which goes to the oldest pending claim.
        var queue = claims.Where(c => Phase(c) == "Pending")
            .OrderBy(c => (DateTimeOffset)c["createdAt"]!).ThenBy(c => (string)c["name"]!, StringComparer.Ordinal)
            .Select(c => (string)c["name"]!).ToList();
        var holding = bound.Select(c => (string)c["name"]!).ToList();
        foreach (string next in queue)
        {
            string released = holding[0];
            holding.RemoveAt(0);
            Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/api/v1/claims/{released}")).StatusCode);
            await Eventually.Until(async () => Phase(await ClaimAsync(client, next)) == "Bound", Deadline,
                async () => $"{next} bound after {released} was deleted: {Phases(await ClaimsAsync(client))}", TimeSpan.FromMilliseconds(50));
            var now = await ClaimsAsync(client);
            Assert.Equal(10, Count(now, "Bound"));
            Assert.DoesNotContain(now, c => (string)c["name"]! == released);
            holding.Add(next);
        }

        Mark("20 claims bound in creation order");
        var final = (await HostsAsync(client)).ToDictionary(h => (string)h["name"]!);
        Assert.Equal("ops/maintenance", (string?)final["held"]["consumerRef"]);
        Assert.Null((string?)final["other"]["consumerRef"]);
        Assert.Equal(holding.Select(c => $"claim/{c}").Order(StringComparer.Ordinal),
            pool.Select(p => (string?)final[p]["consumerRef"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_claim_with_an_image_provisions_its_host_waits_again_when_the_host_is_deleted_and_frees_the_next_one_clean()
    {
        var client = sqlite.Client;

        // No host has a million GiB of memory: this claim waits whatever happens below.
        await client.PostAsync("/api/v1/claims", Json("""{"name": "huge", "labelSelector": "role=web", "hardware": {"minMemoryMiB": 1000000000}}"""));
        var created = await client.PostAsync("/api/v1/claims", Json($$"""
            {"name": "web", "labelSelector": "role=web", "hardware": {"minCpus": 1, "minDiskGiB": 1},
             "image": {"url": "http://images/web.raw", "checksum": "{{Checksum}}"}, "userData": "#cloud-config"}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Eventually.Until(async () => Phase(await ClaimAsync(client, "web")) == "Provisioned", Deadline,
            async () => $"claim web provisioned: {await ClaimAsync(client, "web")}");
        string first = (string)(await ClaimAsync(client, "web"))["status"]!["host"]!;
        var host = await JsonOf(await client.GetAsync($"/api/v1/hosts/{first}"));
        Assert.Equal("provisioned", State(host));
        Assert.Equal("claim/web", (string?)host["consumerRef"]);
        Assert.Equal("http://images/web.raw", (string?)host["image"]!["url"]);
        Assert.Equal("#cloud-config", (string?)host["userData"]);

        // Its host deleted, the claim waits again and takes the other one.
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync($"/api/v1/hosts/{first}")).StatusCode);
        await Eventually.Until(async () => (await ClaimAsync(client, "web"))["status"]!["host"] is { } h && (string)h! != first
            && Phase(await ClaimAsync(client, "web")) == "Provisioned", Deadline, async () => $"claim web on the other host: {await ClaimAsync(client, "web")}");
        string second = (string)(await ClaimAsync(client, "web"))["status"]!["host"]!;
        var reasons = await ReasonsAsync(client, "/api/v1/claims/web/events");
        Assert.Equal(["Created", "Bound", "Provisioned", "HostLost", "Bound", "Provisioned"], reasons);

        // Deleted, the claim deprovisions its host, frees it, and goes.
        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync("/api/v1/claims/web")).StatusCode);
        await Eventually.Until(async () => (await client.GetAsync("/api/v1/claims/web")).StatusCode == HttpStatusCode.NotFound, Deadline,
            async () => $"claim web gone: {await ClaimAsync(client, "web")}");
        var freed = await JsonOf(await client.GetAsync($"/api/v1/hosts/{second}"));
        Assert.Equal("available", State(freed));
        Assert.Null((string?)freed["consumerRef"]);
        Assert.Null(freed["image"]);
        Assert.Null((string?)freed["userData"]);
        var hostReasons = await ReasonsAsync(client, $"/api/v1/hosts/{second}/events");
        Assert.Equal(["Claimed", "ClaimReleasing", "ClaimReleased"], hostReasons.Where(r => r.StartsWith("Claim", StringComparison.Ordinal)));
        Assert.Equal("Pending", Phase(await ClaimAsync(client, "huge")));
    }

    private static async Task EnrollAsync(HttpClient client, string name, string labels, string extra = "")
    {
        var response = await client.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "labels": {{labels}}, "bmc": {"address": "fake://{{name}}?delayMs=20"}, "online": true {{extra}}}
            """));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<List<JsonNode>> HostsAsync(HttpClient client) =>
        (await JsonOf(await client.GetAsync("/api/v1/hosts")))["items"]!.AsArray().Select(h => h!).ToList();

    private static async Task<List<JsonNode>> ClaimsAsync(HttpClient client) =>
        (await JsonOf(await client.GetAsync("/api/v1/claims?labelSelector=test=queue")))["items"]!.AsArray().Select(c => c!).ToList();

    private static async Task<JsonNode> ClaimAsync(HttpClient client, string name) =>
        await JsonOf(await client.GetAsync($"/api/v1/claims/{name}"));

    private static async Task<List<string>> ReasonsAsync(HttpClient client, string url) =>
        (await JsonOf(await client.GetAsync(url)))["items"]!.AsArray().Select(e => (string)e!["reason"]!).ToList();

    private static string? State(JsonNode host) => (string?)host["status"]!["provisioning"]!["state"];

    private static string? Phase(JsonNode claim) => (string?)claim["status"]?["phase"];

    private static int Count(List<JsonNode> claims, string phase) => claims.Count(c => Phase(c) == phase);

    private static string Phases(List<JsonNode> claims) =>
        string.Join(", ", claims.Select(c => $"{c["name"]}={Phase(c)}@{c["status"]!["host"]}"));

    private static string NewDir() => Path.Combine(Path.GetTempPath(), $"metal3-claims-{Guid.NewGuid():N}");
}
