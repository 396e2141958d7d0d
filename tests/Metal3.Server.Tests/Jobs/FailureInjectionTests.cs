using System.Net;
using Metal3.Drivers.Fake;
using Metal3.Server.Jobs;
using Metal3.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Jobs;

/// <summary>Each fail= kind of the fake driver lands in its error type; fixing the spec recovers the host.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class FailureInjectionTests : IAsyncLifetime
{
    private static readonly string Image = $$"""{"url": "http://images/img.raw", "checksum": "{{new string('d', 64)}}"}""";
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "failures");
        _app = new Metal3App(StoreKind.Sqlite, dir, null, jobs: true);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("credentials", "registration error", "available")]
    [InlineData("inspect", "inspection error", "available")]
    [InlineData("clean", "preparation error", "available")]
    [InlineData("power", "power management error", "available")]
    [InlineData("provision", "provisioning error", "provisioned")]
    public async Task Each_failure_lands_in_its_error_type_and_fixing_the_spec_recovers(string fail, string errorType, string recovered)
    {
        string name = $"fail-{fail}";
        string image = fail == "provision" ? $", \"image\": {Image}" : "";
        var created = await _admin.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "bmc": {"address": "fake://{{name}}?fail={{fail}}"}, "online": true {{image}}}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await Eventually.Until(async () => (string?)(await Host(name))["status"]!["errorType"] == errorType,
            TimeSpan.FromSeconds(30), async () => (await Host(name)).ToJsonString());
        var failed = await Host(name);
        Assert.Equal("error", (string?)failed["status"]!["operationalStatus"]);
        Assert.NotNull((string?)failed["status"]!["errorMessage"]);

        var fixedSpec = await _admin.SendAsync(Request(HttpMethod.Patch, $"/api/v1/hosts/{name}",
            $$$"""{"bmc": {"address": "fake://{{{name}}}"}}""", mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, fixedSpec.StatusCode);

        await Eventually.Until(async () =>
            {
                var h = await Host(name);
                return (string?)h["status"]!["provisioning"]!["state"] == recovered && (string?)h["status"]!["errorType"] is null
                    && (bool?)h["status"]!["poweredOn"] == true;
            },
            TimeSpan.FromSeconds(30), async () => (await Host(name)).ToJsonString());
        var reasons = (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}/events")))["items"]!.AsArray()
            .Select(e => (string)e!["reason"]!).ToList();
        Assert.Contains("ErrorCleared", reasons);
    }

    [Fact]
    public async Task Power_sync_finds_drift_and_the_reconciler_corrects_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts",
            Json("""{"name": "drift-1", "bmc": {"address": "fake://drift-1"}, "online": true}"""))).StatusCode);
        await Eventually.Until(async () => (bool?)(await Host("drift-1"))["status"]!["poweredOn"] == true
                && (string?)(await Host("drift-1"))["status"]!["provisioning"]!["state"] == "available",
            TimeSpan.FromSeconds(30), async () => (await Host("drift-1")).ToJsonString());

        // Someone pulls the plug behind the daemon's back.
        _app.Services.GetRequiredService<FakeDriver>().Machine("drift-1").PoweredOn = false;
        using var scope = _app.Services.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<PowerSyncJob>();
        // A host that a reconcile holds at that moment is left for the next sync; try until the host is at rest.
        int drifted = 0;
        await Eventually.Until(async () => (drifted = await sync.RunAsync(CancellationToken.None)) == 1, TimeSpan.FromSeconds(15),
            async () => $"drifted: {drifted}; host: {(await Host("drift-1")).ToJsonString()}");
        await Eventually.Until(async () => _app.Services.GetRequiredService<FakeDriver>().Machine("drift-1").PoweredOn,
            TimeSpan.FromSeconds(15), () => Task.FromResult("the reconciler did not power the host back on"));
        // The step saves its events after the BMC call that powered the machine: wait for the save, then count.
        List<string> reasons = [];
        await Eventually.Until(async () =>
        {
            reasons = (await JsonOf(await _admin.GetAsync("/api/v1/hosts/drift-1/events")))["items"]!.AsArray()
                .Select(e => (string)e!["reason"]!).ToList();
            return reasons.Count(r => r == "PowerOn") >= 2;
        }, TimeSpan.FromSeconds(15), () => Task.FromResult(string.Join(", ", reasons)));
        Assert.Equal(2, reasons.Count(r => r == "PowerOn"));
    }

    [Fact]
    public async Task An_unreachable_bmc_is_unknown_to_power_sync_and_its_repeated_failures_are_written_once()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts",
            Json("""{"name": "gone-1", "bmc": {"address": "fake://gone-1"}, "online": true}"""))).StatusCode);
        await Eventually.Until(async () => (bool?)(await Host("gone-1"))["status"]!["poweredOn"] == true
                && (string?)(await Host("gone-1"))["status"]!["provisioning"]!["state"] == "available",
            TimeSpan.FromSeconds(30), async () => (await Host("gone-1")).ToJsonString());
        int eventsBefore = (await Events("gone-1")).Count;

        // The BMC's network goes away.
        var machine = _app.Services.GetRequiredService<FakeDriver>().Machine("gone-1");
        machine.Unreachable = true;
        using var scope = _app.Services.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<PowerSyncJob>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, await sync.RunAsync(CancellationToken.None));   // unknown, not drift (handed on to record the error)
        }

        // The reconciler meets it anyway (its own resync): six tries, as many as an hour of back-off.
        Guid id;
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<Metal3.Data.Metal3DbContext>>().CreateDbContextAsync())
        {
            id = await db.Hosts.Where(h => h.Name == "gone-1").Select(h => h.Id).SingleAsync();
        }
        // A call is turned away while the daemon's own job for the host runs (one step per host at a time): call until
        // six tries have been counted.
        await Eventually.Until(async () =>
        {
            await scope.ServiceProvider.GetRequiredService<ReconcileHostJob>().RunAsync(id, CancellationToken.None);
            return (int?)(await Host("gone-1"))["status"]!["errorCount"] >= 6;
        }, TimeSpan.FromSeconds(30), async () => (await Host("gone-1")).ToJsonString());
        var host = await Host("gone-1");
        Assert.Equal("power management error", (string?)host["status"]!["errorType"]);

        // Two kinds of words (the BMC's own silence, then the open circuit), each written once with its error: not 12 rows.
        var added = (await Events("gone-1")).Skip(eventsBefore).ToList();
        Assert.InRange(added.Count, 2, 4);

        // In back-off, the host is the reconciler's to retry: power sync does not call its BMC.
        int calls = machine.Calls;
        await sync.RunAsync(CancellationToken.None);
        Assert.Equal(calls, machine.Calls);
    }

    private async Task<List<string>> Events(string name) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}/events?limit=500")))["items"]!.AsArray()
            .Select(e => $"{(string?)e!["reason"]}: {(string?)e["message"]}").ToList();

    private async Task<System.Text.Json.Nodes.JsonNode> Host(string name) => await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}"));
}
