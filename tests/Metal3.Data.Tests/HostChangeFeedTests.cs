using System.Globalization;
using Metal3.Data.Entities;
using Metal3.Data.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Tests;

/// <summary>The change feed the watch API reads: what each write appends, and the spans a resumed watch replays.</summary>
public sealed class HostChangeFeedTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothStores]
    public async Task Every_write_appends_one_change_in_id_order_with_the_hosts_new_resource_version_and_time(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var a = await db.NewStore().EnrollAsync(TestHosts.New("node-a"));
        db.Time.Advance(TimeSpan.FromSeconds(1));
        await db.NewStore().SetLabelsAsync("node-a", new() { ["team"] = "blue" });
        db.Time.Advance(TimeSpan.FromSeconds(1));
        var b = await db.NewStore().EnrollAsync(TestHosts.New("node-b"));
        db.Time.Advance(TimeSpan.FromSeconds(1));
        await db.NewStore().SetLabelsAsync("node-a", new() { ["team"] = "red" });
        db.Time.Advance(TimeSpan.FromSeconds(1));
        var store = db.NewStore();
        await store.RemoveAsync(await db.TakeForReconcileAsync(store, a.Id), "daemon-a", None);

        var (rows, _) = await db.NewFeed().ReadAfterAsync(0, 100, None);

        Assert.Equal(
            [
                (a.Id, "node-a", HostChangeTypes.Added, 1L),
                (a.Id, "node-a", HostChangeTypes.Modified, 2L),
                (b.Id, "node-b", HostChangeTypes.Added, 1L),
                (a.Id, "node-a", HostChangeTypes.Modified, 3L),
                (a.Id, "node-a", HostChangeTypes.Deleted, 4L),
            ],
            rows.Select(r => (r.HostId, r.HostName, r.Type, r.ResourceVersion)));
        Assert.Equal(rows.Select(r => r.Id).Order(), rows.Select(r => r.Id));
        Assert.Equal(5, rows.Select(r => r.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 5).Select(s => TestHosts.T0.AddSeconds(s).UtcDateTime), rows.Select(r => r.Time));
        Assert.Equal(rows[^1].Id, await db.NewFeed().NewestIdAsync(None));
        Assert.Equal(rows[0].Id, await db.NewFeed().OldestIdAsync(None));
    }

    [Theory, BothStores]
    public async Task Reading_after_an_id_gives_the_next_changes_up_to_the_limit_and_a_horizon_only_on_PostgreSQL(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        for (int i = 0; i < 5; i++)
        {
            await db.NewStore().EnrollAsync(TestHosts.New($"node-{i}"));
        }
        var (all, _) = await db.NewFeed().ReadAfterAsync(0, 100, None);

        var (page, horizon) = await db.NewFeed().ReadAfterAsync(all[1].Id, 2, None);

        Assert.Equal(["node-2", "node-3"], page.Select(r => r.HostName));
        Assert.Equal(provider == DatabaseProvider.Postgres, horizon is not null);
        Assert.Empty((await db.NewFeed().ReadAfterAsync(all[^1].Id, 100, None)).Rows);
    }

    [Theory, BothStores]
    public async Task The_last_change_of_each_host_in_a_span_comes_once_per_host_in_id_order(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var a = await db.NewStore().EnrollAsync(TestHosts.New("node-a"));
        var b = await db.NewStore().EnrollAsync(TestHosts.New("node-b"));
        await db.NewStore().SetLabelsAsync("node-a", new() { ["v"] = "2" });
        await db.NewStore().SetLabelsAsync("node-b", new() { ["v"] = "2" });
        await db.NewStore().SetLabelsAsync("node-a", new() { ["v"] = "3" });
        await db.NewStore().EnrollAsync(TestHosts.New("node-c"));
        var (all, _) = await db.NewFeed().ReadAfterAsync(0, 100, None);

        // (first change, fifth change]: node-b's last is the fourth change, node-a's the fifth; node-c is past the span.
        var last = await db.NewFeed().LastPerHostAsync(all[0].Id, all[4].Id, None);

        Assert.Equal([(b.Id, 2L), (a.Id, 3L)], last.Select(c => (c.HostId, c.ResourceVersion)));
    }

    [Theory, BothStores]
    public async Task Hosts_created_after_a_resume_point_are_reported_as_added_whatever_happened_to_them_since(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var before = await db.NewStore().EnrollAsync(TestHosts.New("listed"));
        long listedAt = (await db.NewFeed().NewestIdAsync(None))!.Value;
        // After the list: a host created and changed, one created and removed, and the listed one changed.
        var created = await db.NewStore().EnrollAsync(TestHosts.New("created"));
        await db.NewStore().SetLabelsAsync("created", new() { ["team"] = "blue" });
        var gone = await db.NewStore().EnrollAsync(TestHosts.New("gone"));
        var store = db.NewStore();
        await store.RemoveAsync(await db.TakeForReconcileAsync(store, gone.Id), "daemon-a", None);
        await db.NewStore().SetLabelsAsync("listed", new() { ["team"] = "blue" });
        long upTo = (await db.NewFeed().NewestIdAsync(None))!.Value;
        await db.NewStore().EnrollAsync(TestHosts.New("later"));

        var added = await db.NewFeed().AddedBetweenAsync(listedAt, upTo, None);

        Assert.Equal(new HashSet<Guid> { created.Id, gone.Id }, added);
        Assert.DoesNotContain(before.Id, added);
        // The bounds: after is exclusive, upTo inclusive.
        Assert.Equal(new HashSet<Guid> { before.Id }, await db.NewFeed().AddedBetweenAsync(listedAt - 1, listedAt, None));
    }

    [Theory, BothStores]
    public async Task Pruning_deletes_changes_older_than_the_cutoff_but_keeps_the_newest_as_the_high_water_mark(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        Assert.Equal(0, await db.NewFeed().PruneAsync(TestHosts.T0.UtcDateTime, None));
        await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        db.Time.Advance(TimeSpan.FromHours(1));
        await db.NewStore().SetLabelsAsync("node-0", new() { ["v"] = "2" });
        db.Time.Advance(TimeSpan.FromHours(1));
        await db.NewStore().SetLabelsAsync("node-0", new() { ["v"] = "3" });
        long newest = (await db.NewFeed().NewestIdAsync(None))!.Value;

        int pruned = await db.NewFeed().PruneAsync(TestHosts.T0.AddMinutes(90).UtcDateTime, None);
        int prunedAll = await db.NewFeed().PruneAsync(TestHosts.T0.AddDays(1).UtcDateTime, None);

        Assert.Equal(2, pruned);
        Assert.Equal(0, prunedAll);
        Assert.Equal(newest, await db.NewFeed().OldestIdAsync(None));
        Assert.Equal(newest, await db.NewFeed().NewestIdAsync(None));
    }

    /// <summary>
    /// PostgreSQL hands out the id at insert and shows the row at commit, so an id can turn up below one already read.
    /// The horizon read in the same snapshot is what tells a reader that the missing id's writer is still running, and
    /// later that it has ended: the reason <see cref="TransactionHorizon"/> exists. SQLite has one writer at a time.
    /// </summary>
    [Fact]
    public async Task On_PostgreSQL_a_change_that_commits_late_appears_below_one_already_read_while_the_horizon_shows_its_writer_running()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var slowContext = db.NewContext();
        await using var slow = await slowContext.Database.BeginTransactionAsync();
        await db.Store(slowContext).EnrollAsync(TestHosts.New("slow"));
        ulong slowXid = ulong.Parse(
            await slowContext.Database.SqlQueryRaw<string>("SELECT pg_current_xact_id()::text AS \"Value\"").SingleAsync(),
            CultureInfo.InvariantCulture);
        await db.NewStore().EnrollAsync(TestHosts.New("fast"));

        var (whileOpen, horizon) = await db.NewFeed().ReadAfterAsync(0, 100, None);

        var fastRow = Assert.Single(whileOpen);
        Assert.Equal("fast", fastRow.HostName);
        Assert.NotNull(horizon);
        Assert.InRange(slowXid, horizon.Value.Xmin, horizon.Value.Xmax - 1);

        await slow.CommitAsync();
        var (afterCommit, _) = await db.NewFeed().ReadAfterAsync(0, 100, None);
        Assert.Equal(["slow", "fast"], afterCommit.Select(r => r.HostName));
        Assert.True(afterCommit[0].Id < fastRow.Id, "the late change took its id before the one read first");
        // Other tests' transactions on the shared server may hold the horizon back a moment, never for long.
        await Eventually.Until(
            async () => (await db.NewFeed().ReadAfterAsync(0, 1, None)).Horizon!.Value.Xmin > slowXid,
            TimeSpan.FromSeconds(30), () => Task.FromResult($"the horizon to pass transaction {slowXid}"));
    }
}
