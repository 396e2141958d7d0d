using System.Diagnostics;
using System.Net;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Cache;

/// <summary>
/// Host reads answer from each daemon's cache: what that gives a client (docs/architecture.md, "Reads and their
/// consistency"), through the real HTTP pipeline, with two daemons on one PostgreSQL.
/// </summary>
public sealed class HostCacheApiTests : IAsyncLifetime
{
    /// <summary>
    /// The other daemon reads the feed every 250 ms, so a change shows there well within a second on an idle machine
    /// (bench/api measures it). CI machines run at many times their core count, so the test allows more than that:
    /// it checks that the write arrives through the feed, not how fast.
    /// </summary>
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(5);

    private Metal3App _a = null!;
    private Metal3App _b = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Postgres, "hostcache");
        // Daemon A reads the change feed only once an hour: whatever a read through A shows of A's own writes came
        // from the write path, not the feed. B reads it at the default pace.
        _a = new Metal3App(StoreKind.Postgres, Path.Combine(dir, "a"), cs,
            new Dictionary<string, string?> { ["Metal3:Watch:PollInterval"] = "01:00:00" });
        _b = new Metal3App(StoreKind.Postgres, Path.Combine(dir, "b"), cs);
        _ = _a.Services;
        _ = _b.Services;
        // Both are serving once their caches have loaded.
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(_a)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(_b)).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_client_reads_its_own_writes_through_the_same_daemon_at_once()
    {
        using var admin = _a.Admin();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("ryw-1")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/hosts/ryw-1")).StatusCode);

        for (int i = 2; i <= 4; i++)
        {
            var patch = Request(HttpMethod.Patch, "/api/v1/hosts/ryw-1", "{\"labels\": {\"step\": \"" + i + "\"}}",
                mediaType: "application/merge-patch+json");
            var written = await admin.SendAsync(patch);
            Assert.Equal(HttpStatusCode.OK, written.StatusCode);
            string version = (string)(await JsonOf(written))["resourceVersion"]!;

            var read = await admin.GetAsync("/api/v1/hosts/ryw-1");
            Assert.Equal($"\"{version}\"", read.Headers.ETag?.Tag);
            Assert.Equal($"{i}", (string?)(await JsonOf(read))["labels"]!["step"]);
            var listed = await JsonOf(await admin.GetAsync($"/api/v1/hosts?labelSelector=step%3D{i}"));
            Assert.Equal(version, (string?)listed["items"]!.AsArray().Single()!["resourceVersion"]);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync("/api/v1/hosts/ryw-1")).StatusCode);
        Assert.NotNull((await JsonOf(await admin.GetAsync("/api/v1/hosts/ryw-1")))["deletionRequestedAt"]);
    }

    [Fact]
    public async Task A_write_through_one_daemon_is_read_through_the_other_one_feed_read_later()
    {
        using var viaA = _a.Admin();
        using var viaB = _b.Admin();
        Assert.Equal(HttpStatusCode.Created, (await viaA.PostAsync("/api/v1/hosts", Json(EnrollBody("two-1")))).StatusCode);

        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await viaB.GetAsync("/api/v1/hosts/two-1")).StatusCode;
        }
        while (status == HttpStatusCode.NotFound && clock.Elapsed < Propagation);
        Assert.Equal(HttpStatusCode.OK, status);

        var patch = Request(HttpMethod.Patch, "/api/v1/hosts/two-1", """{"online": false}""", mediaType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await viaA.SendAsync(patch)).StatusCode);
        clock.Restart();
        bool? online;
        do
        {
            online = (bool?)(await JsonOf(await viaB.GetAsync("/api/v1/hosts/two-1")))["online"];
        }
        while (online != false && clock.Elapsed < Propagation);
        Assert.False(online);
    }

    [Fact]
    public async Task A_reader_never_sees_user_data_in_a_get_a_list_or_a_watch()
    {
        using var admin = _b.Admin();
        var created = await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("ud-1", extra: """, "userData": "#cloud-config\nsecret: 1" """)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((bool?)(await JsonOf(created))["userDataSet"]);
        var token = await admin.PostAsync("/api/v1/tokens", Json("""{"name": "cache-reader", "role": "reader"}"""));
        using var reader = _b.WithToken((string)(await JsonOf(token))["token"]!);

        var got = await JsonOf(await reader.GetAsync("/api/v1/hosts/ud-1"));
        Assert.Null((string?)got["userData"]);
        Assert.True((bool?)got["userDataSet"]);
        var listed = (await JsonOf(await reader.GetAsync("/api/v1/hosts"))) ["items"]!.AsArray().Single(h => (string?)h!["name"] == "ud-1")!;
        Assert.Null((string?)listed["userData"]);
        Assert.True((bool?)listed["userDataSet"]);
        await using (var watch = await EventStream.OpenAsync(reader, "/api/v1/hosts?watch=true"))
        {
            var seen = await watch.UntilAsync(e => e.Any(x => x.Name == "ud-1"), TimeSpan.FromSeconds(10));
            Assert.All(seen, e => Assert.Null((string?)e.Host["userData"]));
        }

        // The admin still sees it, and a PATCH that sends back what it read (userDataSet included) is accepted.
        var full = await JsonOf(await admin.GetAsync("/api/v1/hosts/ud-1"));
        Assert.Equal("#cloud-config\nsecret: 1", (string?)full["userData"]);
        var put = Request(HttpMethod.Put, "/api/v1/hosts/ud-1", full.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(put)).StatusCode);
    }

    [Fact]
    public async Task Pages_follow_on_from_their_continue_token_and_a_forged_token_is_400()
    {
        using var admin = _b.Admin();
        foreach (string name in new[] { "pg-c", "pg-a", "pg-e", "pg-b", "pg-d" })
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody(name)))).StatusCode);
        }
        var names = new List<string>();
        string url = "/api/v1/hosts?labelSelector=!none&limit=2";
        while (true)
        {
            var page = await JsonOf(await admin.GetAsync(url));
            names.AddRange(page["items"]!.AsArray().Select(h => (string)h!["name"]!));
            if ((string?)page["continue"] is not { } next)
            {
                break;
            }
            url = $"/api/v1/hosts?labelSelector=!none&limit=2&continue={next}";
        }
        Assert.Equal(["pg-a", "pg-b", "pg-c", "pg-d", "pg-e"], names);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/hosts?continue=bm9wZQ")).StatusCode);
    }

    private static async Task<HttpResponseMessage> ReadyAsync(Metal3App app)
    {
        using var anonymous = app.WithToken(null);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await anonymous.GetAsync("/readyz");
            if (response.StatusCode == HttpStatusCode.OK || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                return response;
            }
            await Task.Delay(50);
        }
    }
}
