using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using Npgsql;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Watch;

/// <summary>Two daemon processes on one PostgreSQL: a change made through either reaches the watchers of both.</summary>
[Collection(ReconcileLoopCollection.Name)]
public sealed class TwoDaemonWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private string _connectionString = null!;
    private DaemonProcess _a = null!;
    private DaemonProcess _b = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(StoreKind.Postgres, "watch2");
        _connectionString = cs!;
        // Each daemon writes its own admin token into the shared token table.
        // A long gap timeout: the held-back change below must wait for its transaction, however slow this machine is.
        string[] settings = ["--Metal3:Watch:GapTimeout", "00:01:00"];
        _a = await DaemonProcess.StartAsync(Path.Combine(dir, "a"), cs, settings);
        _b = await DaemonProcess.StartAsync(Path.Combine(dir, "b"), cs, settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_watcher_of_one_daemon_sees_what_was_written_through_the_other_and_resumes_there()
    {
        using var viaA = _a.Client();
        using var viaB = _b.Client();
        await using var watchB = await EventStream.OpenAsync(viaB, "/api/v1/hosts?watch=true");

        Assert.Equal(HttpStatusCode.Created, (await viaA.PostAsync("/api/v1/hosts", Json(EnrollBody("two-1", labels: """{"via": "a"}""")))).StatusCode);
        await watchB.UntilAsync(seen => seen.Any(e => e is { Type: "ADDED", Name: "two-1" }), Deadline);

        string listedOnA = (string)(await JsonOf(await viaA.GetAsync("/api/v1/hosts")))["resourceVersion"]!;
        var patch = Request(HttpMethod.Patch, "/api/v1/hosts/two-1", """{"labels": {"via": "a-again"}}""", mediaType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await viaA.SendAsync(patch)).StatusCode);
        await watchB.UntilAsync(seen => seen.Any(e => e.Name == "two-1" && (string?)e.Host["labels"]!["via"] == "a-again"), Deadline);

        // A resource version from A's list, resumed on B.
        await using var resumedOnB = await EventStream.OpenAsync(viaB, $"/api/v1/hosts?watch=true&resourceVersion={listedOnA}");
        var replayed = await resumedOnB.UntilAsync(seen => seen.Any(e => e.Name == "two-1" && (string?)e.Host["labels"]!["via"] == "a-again"), Deadline);
        Assert.All(replayed, e => Assert.True(e.Id > long.Parse(listedOnA)));
    }

    [Fact]
    public async Task A_change_that_commits_after_a_higher_id_is_delivered_in_id_order()
    {
        using var viaA = _a.Client();
        using var viaB = _b.Client();
        Assert.Equal(HttpStatusCode.Created, (await viaA.PostAsync("/api/v1/hosts", Json(EnrollBody("gap-1")))).StatusCode);
        var host = await JsonOf(await viaA.GetAsync("/api/v1/hosts/gap-1"));
        await using var watchB = await EventStream.OpenAsync(viaB, "/api/v1/hosts?watch=true");
        await watchB.UntilAsync(seen => seen.Any(e => e.Name == "gap-1"), Deadline);

        // A writer takes change id k and stays uncommitted while another write takes k+1 and commits.
        await using var slow = new NpgsqlConnection(_connectionString);
        await slow.OpenAsync();
        await using var tx = await slow.BeginTransactionAsync();
        long heldId;
        await using (var insert = new NpgsqlCommand(
            """
            UPDATE hosts SET "ResourceVersion" = "ResourceVersion" + 1, "Spec" = jsonb_set("Spec", '{labels}', '{"held": "yes"}')
              WHERE "Name" = 'gap-1';
            INSERT INTO host_changes ("HostId", "HostName", "Type", "ResourceVersion", "Time")
            SELECT "Id", "Name", 'MODIFIED', "ResourceVersion", now() FROM hosts WHERE "Name" = 'gap-1' RETURNING "Id"
            """, slow, tx))
        {
            heldId = (long)(await insert.ExecuteScalarAsync())!;
        }
        Assert.Equal(HttpStatusCode.Created, (await viaA.PostAsync("/api/v1/hosts", Json(EnrollBody("gap-2")))).StatusCode);

        // Held back behind the gap for now (the open transaction may still commit id k).
        Assert.DoesNotContain(await Drain(watchB, TimeSpan.FromSeconds(1.5)), e => e.Name == "gap-2");
        await tx.CommitAsync();

        var events = await watchB.UntilAsync(seen => seen.Any(e => e.Name == "gap-2"), Deadline);
        var held = events.FirstOrDefault(e => e.Id == heldId);
        Assert.True(held is not null, $"change {heldId} was lost: {string.Join(" | ", events)}");
        Assert.Equal("gap-1", held!.Name);
        Assert.Equal("yes", (string?)held.Host["labels"]!["held"]);
        Assert.True(events.IndexOf(held) < events.FindIndex(e => e.Name == "gap-2"));
        Assert.NotNull(host["name"]);
    }

    private static async Task<List<WatchedEvent>> Drain(EventStream stream, TimeSpan quiet)
    {
        var seen = new List<WatchedEvent>();
        while (await stream.NextAsync(quiet) is { } e)
        {
            seen.Add(e);
        }
        return seen;
    }
}
