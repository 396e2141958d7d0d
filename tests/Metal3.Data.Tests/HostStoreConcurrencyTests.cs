using System.Globalization;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Metal3.Data.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Tests;

/// <summary>
/// Two writers on one host, each on its own connection, with the second write made at the exact moment that makes the
/// first one stale: every write is guarded by the version it read, and a loser either decides again or says so.
/// </summary>
public sealed class HostStoreConcurrencyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothStores]
    public async Task A_save_that_lost_a_race_decides_again_on_the_winners_write_and_only_its_second_decision_is_saved(
        DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var winner = db.NewStore();
        var seen = new List<Host>();

        var update = await db.NewStore().UpdateAsync<string>("node-0", async h =>
        {
            seen.Add(h);
            if (seen.Count == 1)
            {
                // Another writer saves between this read and this save.
                Assert.Equal(WriteOutcome.Saved, (await winner.SetLabelsAsync("node-0", new() { ["team"] = "blue" })).Outcome);
            }
            h.Request(HostAction.Reboot, TestHosts.T0);
            return HostDecision<string>.Save(TestHosts.T0);
        }, actor: null, None);

        Assert.Equal(WriteOutcome.Saved, update.Outcome);
        Assert.Equal([1L, 2L], seen.Select(h => h.ResourceVersion));
        Assert.Equal("blue", seen[1].Spec.Labels["team"]);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal(3, loaded!.ResourceVersion);
        Assert.Equal("blue", loaded.Spec.Labels["team"]);
        Assert.NotNull(loaded.RebootRequestedAt);
        // The lost attempt's event and change were rolled back with it.
        var events = await db.NewStore().EventsAsync(host.Id, 0, 10, None);
        Assert.Equal(["Enrolled", "SpecUpdated", "RebootRequested"], events.Select(e => e.Reason));
        var (changes, _) = await db.NewFeed().ReadAfterAsync(0, 10, None);
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.ResourceVersion));
    }

    [Theory, BothStores]
    public async Task A_conditional_save_that_lost_a_race_is_StaleVersion_decided_once_and_writes_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var winner = db.NewStore();
        int decisions = 0;

        var update = await db.NewStore().UpdateAsync<string>("node-0", async h =>
        {
            decisions++;
            await winner.SetLabelsAsync("node-0", new() { ["team"] = "blue" });
            h.Request(HostAction.Reboot, TestHosts.T0);
            return HostDecision<string>.SaveOnce(TestHosts.T0);
        }, actor: null, None);

        Assert.Equal(WriteOutcome.StaleVersion, update.Outcome);
        Assert.Equal(1, decisions);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal(2, loaded!.ResourceVersion);
        Assert.Null(loaded.RebootRequestedAt);
        Assert.Equal(["Enrolled", "SpecUpdated"], (await db.NewStore().EventsAsync(host.Id, 0, 10, None)).Select(e => e.Reason));
    }

    [Theory, BothStores]
    public async Task A_save_that_keeps_losing_gives_up_as_StaleVersion_after_UnconditionalAttempts(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var winner = db.NewStore();
        int decisions = 0;

        var update = await db.NewStore().UpdateAsync<string>("node-0", async h =>
        {
            decisions++;
            await winner.SetLabelsAsync("node-0", new() { ["round"] = decisions.ToString(CultureInfo.InvariantCulture) });
            h.Request(HostAction.Inspect, TestHosts.T0);
            return HostDecision<string>.Save(TestHosts.T0);
        }, actor: null, None);

        Assert.Equal(WriteOutcome.StaleVersion, update.Outcome);
        Assert.Equal(HostStore.UnconditionalAttempts, decisions);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal(1 + HostStore.UnconditionalAttempts, loaded!.ResourceVersion);
        Assert.Null(loaded.InspectRequestedAt);
    }

    [Theory, BothStores]
    public async Task Two_writers_adding_the_same_label_key_at_once_is_a_stale_read_that_is_decided_again_not_an_error(
        DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        // The winner commits its label row after the loser has loaded the label rows to sync and before its statements
        // run: the loser's INSERT of the same (host, key) meets the winner's row. On SQLite the winner bypasses the write
        // gate, which the loser holds at that moment (two daemons on one file would not share it either).
        var winner = new HostStore(db.NewContext(), SqliteWriteGate.Open, db.Time);
        var interleave = new BeforeSaveInterceptor(async () =>
            Assert.Equal(WriteOutcome.Saved, (await winner.SetLabelsAsync("node-0", new() { ["team"] = "blue" })).Outcome));
        var loser = db.Store(db.NewContext(interleave));
        var seen = new List<Host>();

        var update = await loser.UpdateAsync<string>("node-0", h =>
        {
            seen.Add(h);
            h.ReplaceSpec(h.Spec with { Labels = new Dictionary<string, string> { ["team"] = "red" } }, null);
            return Task.FromResult(HostDecision<string>.Save(TestHosts.T0));
        }, actor: null, None);

        Assert.Equal(WriteOutcome.Saved, update.Outcome);
        Assert.Equal([1L, 2L], seen.Select(h => h.ResourceVersion));
        await using var context = db.NewContext();
        var rows = await context.HostLabels.Where(l => l.HostId == host.Id).ToListAsync();
        Assert.Equal([("team", "red")], rows.Select(l => (l.Key, l.Value)));
        Assert.Equal(3, (await db.NewStore().FindReadOnlyAsync("node-0", None))!.ResourceVersion);
    }

    [Theory, BothStores]
    public async Task A_reconcile_save_after_an_API_write_is_StaleVersion_and_keeps_the_API_write(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var enrolled = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var reconciler = db.NewStore();
        var host = await db.TakeForReconcileAsync(reconciler, enrolled.Id);

        await db.NewStore().SetLabelsAsync("node-0", new() { ["team"] = "blue" });
        host.ApplyReconcile(TestHosts.StepTo(host, ProvisioningState.Inspecting));
        var (outcome, _) = await reconciler.SaveReconciledAsync(host, TestHosts.T0, "daemon-a", None);

        Assert.Equal(WriteOutcome.StaleVersion, outcome);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal((2L, ProvisioningState.Registering, "blue"), (loaded!.ResourceVersion, loaded.State, loaded.Spec.Labels["team"]));
    }

    [Theory, BothStores]
    public async Task Removing_a_host_written_since_it_was_loaded_is_StaleVersion_and_keeps_the_host(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var enrolled = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var reconciler = db.NewStore();
        var host = await db.TakeForReconcileAsync(reconciler, enrolled.Id);

        await db.NewStore().SetLabelsAsync("node-0", new() { ["team"] = "blue" });
        var outcome = await reconciler.RemoveAsync(host, "daemon-a", None);

        Assert.Equal(WriteOutcome.StaleVersion, outcome);
        Assert.NotNull(await db.NewStore().FindReadOnlyAsync("node-0", None));
        var (changes, _) = await db.NewFeed().ReadAfterAsync(0, 10, None);
        Assert.DoesNotContain(changes, c => c.Type == HostChangeTypes.Deleted);
    }

    [Theory, BothStores]
    public async Task Enrollments_on_many_connections_at_once_all_save_each_with_one_change(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var stores = Enumerable.Range(0, 16).Select(_ => db.NewStore()).ToList();

        var outcomes = await Task.WhenAll(stores.Select((store, i) => store.AddAsync(TestHosts.New($"node-{i:D2}"), TestHosts.T0, actor: null, None)));

        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Saved, o.Outcome));
        var (changes, _) = await db.NewFeed().ReadAfterAsync(0, 100, None);
        Assert.Equal(16, changes.Count);
        Assert.Equal(16, changes.Select(c => c.HostId).Distinct().Count());
        Assert.All(changes, c => Assert.Equal(HostChangeTypes.Added, c.Type));
    }
}
