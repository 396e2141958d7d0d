using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using Metal3.Server.Watch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Watch;

/// <summary>
/// <c>GET /api/v1/hosts?watch=true</c> through the real pipeline, with the reconcile loop running (fake:// hosts move
/// on their own, so assertions look for the events they need among others).
/// </summary>
[Collection(ReconcileLoopCollection.Name)]
public abstract class WatchApiTests(StoreKind store) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "watch");
        _app = new Metal3App(store, dir, cs, new Dictionary<string, string?>
        {
            // Pruning runs only when a test asks, and then keeps nothing but the newest change.
            ["Metal3:Watch:Retention"] = "00:00:00",
            ["Metal3:Watch:PruneInterval"] = "01:00:00",
            ["Metal3:Watch:KeepAlive"] = "00:00:01",
        }, jobs: true);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        // Each test has a database of its own; idle connections to it would otherwise stay open until the pool prunes
        // them, and a class of eleven tests would run the test server out of connections.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_watch_lists_the_matching_hosts_as_ADDED_then_streams_changes_to_a_reader()
    {
        await Enroll("w-a", """{"team": "blue"}""");
        var reader = _app.WithToken(await NewToken("reader"));

        await using var watch = await EventStream.OpenAsync(reader, "/api/v1/hosts?watch=true");
        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("text/event-stream", watch.Response.Content.Headers.ContentType?.MediaType);
        var first = await watch.NextAsync(Deadline);
        Assert.Equal(("ADDED", "w-a"), (first!.Type, first.Name));
        Assert.Equal("ADDED", (string?)first.Data["type"]);
        Assert.Equal("blue", (string?)first.Host["labels"]!["team"]);
        Assert.Null(first.Host["bmc"]!["password"]);

        await Enroll("w-b", "{}");
        await Patch("w-a", """{"labels": {"team": "green"}}""");
        var events = await watch.UntilAsync(seen =>
            seen.Any(e => e is { Type: "ADDED", Name: "w-b" })
            && seen.Any(e => e.Name == "w-a" && (string?)e.Host["labels"]!["team"] == "green"), Deadline);
        Assert.All(events, e => Assert.True(e.Id > 0));
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        Assert.Equal("MODIFIED", events.First(e => e.Name == "w-a").Type);
    }

    [Fact]
    public async Task A_watch_resumes_after_a_resource_version_or_a_Last_Event_ID()
    {
        await Enroll("r-old", "{}");
        await Enroll("r-1", "{}");
        var list = await JsonOf(await _admin.GetAsync("/api/v1/hosts"));
        string listedAt = (string)list["resourceVersion"]!;
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.True(long.Parse(listedAt) >= 2, $"the list's resourceVersion {listedAt} covers both enrollments");

        await Patch("r-1", """{"labels": {"mark": "one"}}""");
        await using (var resumed = await EventStream.OpenAsync(_admin, $"/api/v1/hosts?watch=true&resourceVersion={listedAt}"))
        {
            var events = await resumed.UntilAsync(seen => seen.Any(e => Marked(e, "r-1", "one")), Deadline);
            var mark = events.First(e => Marked(e, "r-1", "one"));
            Assert.True(mark.Id > long.Parse(listedAt));
            Assert.DoesNotContain(events, e => e.Type == "ADDED");

            await Patch("r-1", """{"labels": {"mark": "two"}}""");
            await using var again = await EventStream.OpenAsync(_admin, "/api/v1/hosts?watch=true", lastEventId: mark.Id.ToString());
            var next = await again.UntilAsync(seen => seen.Any(e => Marked(e, "r-1", "two")), Deadline);
            Assert.All(next, e => Assert.True(e.Id > mark.Id, $"{e} was already seen"));
        }
    }

    [Fact]
    public async Task A_host_created_and_changed_after_the_resumed_version_is_replayed_as_ADDED()
    {
        // The race a "list, then watch from the list's version" client lives with: the host is created, and changed,
        // after the list but before the watch request arrives, so it reaches the watcher only through the replay.
        string listedAt = (string)(await JsonOf(await _admin.GetAsync("/api/v1/hosts")))["resourceVersion"]!;
        await Enroll("late-1", "{}");
        await Patch("late-1", """{"labels": {"mark": "one"}}""");
        await Enroll("gone-1", "{}");
        Assert.Equal(HttpStatusCode.Accepted, (await _admin.DeleteAsync("/api/v1/hosts/gone-1")).StatusCode);
        // Deletion of a fake host completes quickly; the replay must then not mention a host the watcher never saw.
        await Eventually.Until(async () => (await _admin.GetAsync("/api/v1/hosts/gone-1")).StatusCode == HttpStatusCode.NotFound,
            Deadline, () => Task.FromResult("gone-1 still exists"));

        await using var resumed = await EventStream.OpenAsync(_admin, $"/api/v1/hosts?watch=true&resourceVersion={listedAt}");
        var events = await resumed.UntilAsync(seen => seen.Any(e => e.Name == "late-1"), Deadline);
        var first = events.First(e => e.Name == "late-1");
        Assert.Equal("ADDED", first.Type);
        Assert.Equal("one", (string?)first.Host["labels"]!["mark"]);
        Assert.DoesNotContain(events, e => e.Name == "gone-1");
    }

    [Fact]
    public async Task A_removed_host_is_sent_as_DELETED_with_its_last_state()
    {
        await using var watch = await EventStream.OpenAsync(_admin, "/api/v1/hosts?watch=true");
        await Enroll("d-1", "{}");
        await watch.UntilAsync(seen => seen.Any(e => e is { Type: "ADDED", Name: "d-1" }), Deadline);

        Assert.Equal(HttpStatusCode.Accepted, (await _admin.DeleteAsync("/api/v1/hosts/d-1")).StatusCode);
        var events = await watch.UntilAsync(seen => seen.Any(e => e is { Type: "DELETED", Name: "d-1" }), Deadline);
        var deleted = events.Last();
        Assert.NotNull((string?)deleted.Host["resourceVersion"]);
        Assert.NotNull(deleted.Host["status"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hosts/d-1")).StatusCode);
    }

    [Fact]
    public async Task A_label_filter_sends_only_matching_hosts_and_DELETED_when_one_stops_matching()
    {
        await using var watch = await EventStream.OpenAsync(_admin, "/api/v1/hosts?watch=true&labelSelector=team=blue");
        await Enroll("f-blue", """{"team": "blue"}""");
        await Enroll("f-red", """{"team": "red"}""");
        await watch.UntilAsync(seen => seen.Any(e => e is { Type: "ADDED", Name: "f-blue" }), Deadline);

        await Patch("f-blue", """{"labels": {"team": "red"}}""");
        var events = await watch.UntilAsync(seen => seen.Any(e => e is { Type: "DELETED", Name: "f-blue" }), Deadline);
        Assert.Equal("red", (string?)events.Last().Host["labels"]!["team"]);
        await Patch("f-blue", """{"labels": {"team": "red", "more": "x"}}""");
        await Patch("f-red", """{"labels": {"team": "blue"}}""");
        events.AddRange(await watch.UntilAsync(seen => seen.Any(e => e is { Type: "ADDED", Name: "f-red" }), Deadline));

        Assert.DoesNotContain(events, e => e.Name == "f-red" && (string?)e.Host["labels"]!["team"] == "red");
        Assert.DoesNotContain(events, e => e.Name == "f-blue" && e.Type != "DELETED" && (string?)e.Host["labels"]!["team"] == "red");
    }

    [Fact]
    public async Task Resuming_from_a_pruned_resource_version_is_410_and_the_newest_one_still_works()
    {
        await Enroll("p-1", "{}");
        string early = (string)(await JsonOf(await _admin.GetAsync("/api/v1/hosts")))["resourceVersion"]!;
        await Enroll("p-2", "{}");
        await Enroll("p-3", "{}");
        await Patch("p-3", """{"labels": {"x": "y"}}""");
        // Once the fake hosts rest (available), nothing writes, and the newest change is final.
        await Eventually.Until(async () =>
                (await JsonOf(await _admin.GetAsync("/api/v1/hosts?state=available")))["items"]!.AsArray().Count == 3,
            Deadline, async () => await _admin.GetStringAsync("/api/v1/hosts"));
        // And the feed's readers have caught up with it (on PostgreSQL, past the ids that writes which lost a race rolled back).
        await Eventually.Until(async () => await ListedAt() == await NewestChange(), Deadline, async () => $"{await ListedAt()} {await NewestChange()}");
        long now = await ListedAt();
        Assert.True(now > long.Parse(early) + 2);

        Assert.True(await _app.Services.GetRequiredService<ChangePruner>().PruneOnceAsync(CancellationToken.None) > 0);

        var gone = await _admin.GetAsync($"/api/v1/hosts?watch=true&resourceVersion={early}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        Assert.Contains("list the hosts again", (string?)(await JsonOf(gone))["detail"]);

        var future = await _admin.GetAsync("/api/v1/hosts?watch=true&resourceVersion=99999999");
        Assert.Equal(HttpStatusCode.Gone, future.StatusCode);

        await using var watch = await EventStream.OpenAsync(_admin, $"/api/v1/hosts?watch=true&resourceVersion={now}");
        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        await Patch("p-1", """{"labels": {"after": "prune"}}""");
        await watch.UntilAsync(seen => seen.Any(e => Labelled(e, "p-1", "after", "prune")), Deadline);
    }

    [Fact]
    public async Task A_quiet_watch_gets_keepalive_comments()
    {
        await using var watch = await EventStream.OpenAsync(_admin, "/api/v1/hosts?watch=true");
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains(": keepalive", watch.Comments);
    }

    [Theory]
    [InlineData("/api/v1/hosts?watch=true&resourceVersion=abc", "resourceVersion")]
    [InlineData("/api/v1/hosts?watch=true&resourceVersion=-1", "resourceVersion")]
    [InlineData("/api/v1/hosts?watch=maybe", "watch")]
    [InlineData("/api/v1/hosts?watch=true&labelSelector=a=b=c!", "labelSelector")]
    public async Task Bad_watch_parameters_are_400_problem_details(string url, string field)
    {
        var response = await _admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]![field]);
    }

    [Fact]
    public async Task A_watch_needs_a_token()
    {
        var response = await _app.WithToken(null).GetAsync("/api/v1/hosts?watch=true");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static bool Marked(WatchedEvent e, string name, string mark) => Labelled(e, name, "mark", mark);

    private static bool Labelled(WatchedEvent e, string name, string key, string value) =>
        e.Name == name && (string?)e.Host["labels"]?[key] == value;

    private async Task<long> NewestChange()
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Metal3.Data.Metal3DbContext>().HostChanges.MaxAsync(c => c.Id);
    }

    private async Task<long> ListedAt() =>
        long.Parse((string)(await JsonOf(await _admin.GetAsync("/api/v1/hosts")))["resourceVersion"]!);

    private async Task Enroll(string name, string labels)
    {
        var r = await _admin.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "labels": {{labels}}, "bmc": {"address": "fake://{{name}}"}, "online": true}
            """));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    private async Task Patch(string name, string patch)
    {
        var r = await _admin.SendAsync(Request(HttpMethod.Patch, $"/api/v1/hosts/{name}", patch, mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    private async Task<string> NewToken(string role)
    {
        var r = await _admin.PostAsync("/api/v1/tokens", Json($$"""{"name": "t-{{role}}", "role": "{{role}}"}"""));
        return (string)(await JsonOf(r))["token"]!;
    }
}

[Collection(ReconcileLoopCollection.Name)]
public sealed class WatchApiSqliteTests() : WatchApiTests(StoreKind.Sqlite);

[Collection(ReconcileLoopCollection.Name)]
public sealed class WatchApiPostgresTests() : WatchApiTests(StoreKind.Postgres);
