using System.Net;
using System.Text.Json.Nodes;
using Metal3.Data;
using Metal3.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Jobs;

/// <summary>Many fake hosts through the whole lifecycle, driven by Hangfire jobs inside the real daemon.</summary>
[Collection(ReconcileLoopCollection.Name)]
public abstract class LifecycleTests(StoreKind store) : IAsyncLifetime
{
    /// <summary>A hundred keeps the jobs concurrent at every step; bench/lifecycle measures thousands.</summary>
    private const int Hosts = 100;
    private static readonly string Checksum = new('b', 64);
    private static readonly string[] FullLife =
    [
        "registering>inspecting", "inspecting>preparing", "preparing>available", "available>provisioning",
        "provisioning>provisioned", "provisioned>deprovisioning", "deprovisioning>available", "available>deleting",
        "deleting>powering off before delete",
    ];

    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "lifecycle");
        _app = new Metal3App(store, dir, cs, jobs: true);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_job_picks_up_an_enrolled_host_within_a_second()
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json("""{"name": "quick-1", "bmc": {"address": "fake://quick-1"}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Eventually.Until(async () => (await Reasons("quick-1")).Contains("StateChanged"), TimeSpan.FromSeconds(10),
            async () => string.Join(",", await Reasons("quick-1")));

        var events = (await JsonOf(await _admin.GetAsync("/api/v1/hosts/quick-1/events")))["items"]!.AsArray();
        var enrolled = (DateTimeOffset)events.First(e => (string?)e!["reason"] == "Enrolled")!["time"]!;
        var firstStep = (DateTimeOffset)events.First(e => (string?)e!["reason"] == "StateChanged")!["time"]!;
        Assert.InRange(firstStep - enrolled, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_hundred_fake_hosts_are_provisioned_deprovisioned_and_deleted_with_every_event()
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, Hosts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var r = await _admin.PostAsync("/api/v1/hosts", Json($$$"""
                {"name": "life-{{{i:D3}}}", "bmc": {"address": "fake://life-{{{i}}}"}, "online": true,
                 "image": {"url": "http://images/img.raw", "checksum": "{{{Checksum}}}"}}
                """));
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        });
        await AllInState("provisioned", TimeSpan.FromSeconds(240));

        var provisioned = await JsonOf(await _admin.GetAsync("/api/v1/hosts"));
        Assert.All(provisioned["items"]!.AsArray(), h =>
        {
            Assert.Null((string?)h!["status"]!["errorType"]);
            Assert.Equal("http://images/img.raw", (string?)h["status"]!["provisioning"]!["image"]!["url"]);
            Assert.NotNull(h["status"]!["hardware"]);
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, Hosts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var r = await _admin.SendAsync(Request(HttpMethod.Patch, $"/api/v1/hosts/life-{i:D3}", """{"image": null}""",
                mediaType: "application/merge-patch+json"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        });
        await AllInState("available", TimeSpan.FromSeconds(240));

        await Parallel.ForEachAsync(Enumerable.Range(0, Hosts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            Assert.Equal(HttpStatusCode.Accepted, (await _admin.DeleteAsync($"/api/v1/hosts/life-{i:D3}")).StatusCode));
        await Eventually.Until(async () => (await JsonOf(await _admin.GetAsync("/api/v1/hosts")))["items"]!.AsArray().Count == 0,
            TimeSpan.FromSeconds(120), async () => (await _admin.GetStringAsync("/api/v1/hosts"))[..Math.Min(2000, 100000)]);

        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Metal3DbContext>();
        var events = await db.HostEvents.AsNoTracking().Where(e => e.HostName.StartsWith("life-")).ToListAsync();
        foreach (var host in events.GroupBy(e => e.HostName))
        {
            var ordered = host.OrderBy(e => e.Id).ToList();
            Assert.Equal(FullLife, ordered.Where(e => e.Reason == "StateChanged").Select(e => $"{e.FromState}>{e.ToState}"));
            Assert.Equal("Enrolled", ordered[0].Reason);
            Assert.Equal("Deleted", ordered[^1].Reason);
            Assert.DoesNotContain(ordered, e => e.Type == "Warning");
        }
        Assert.Equal(Hosts, events.Select(e => e.HostName).Distinct().Count());
    }

    private async Task AllInState(string state, TimeSpan deadline) =>
        await Eventually.Until(async () =>
        {
            var list = await JsonOf(await _admin.GetAsync("/api/v1/hosts?state=" + Uri.EscapeDataString(state)));
            return list["items"]!.AsArray().Count == Hosts;
        }, deadline, async () => Summary(await JsonOf(await _admin.GetAsync("/api/v1/hosts"))));

    private static string Summary(JsonNode list) =>
        string.Join(", ", list["items"]!.AsArray()
            .GroupBy(h => $"{(string?)h!["status"]!["provisioning"]!["state"]}/{(string?)h["status"]!["errorType"]}")
            .Select(g => $"{g.Key}: {g.Count()}"));

    private async Task<string[]> Reasons(string host) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{host}/events")))["items"]!.AsArray()
            .Select(e => (string)e!["reason"]!).ToArray();
}

[Collection(ReconcileLoopCollection.Name)]
public sealed class LifecycleSqliteTests() : LifecycleTests(StoreKind.Sqlite);

[Collection(ReconcileLoopCollection.Name)]
public sealed class LifecyclePostgresTests() : LifecycleTests(StoreKind.Postgres);
