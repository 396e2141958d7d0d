using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data.Entities;
using Metal3.Data.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Tests;

/// <summary>Enrolling, the one guarded update path and removal, each on a fresh database of either kind.</summary>
public sealed class HostStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory, BothStores]
    public async Task An_enrolled_host_loads_back_as_saved_at_version_1_with_its_label_rows_event_and_next_look(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = TestHosts.New("node-0", new() { ["rack"] = "r1", ["team"] = "blue" }, bootMac: "52:54:00:00:00:01");

        var (outcome, saved) = await db.NewStore().AddAsync(host, TestHosts.T0.AddMinutes(5), actor: null, None);

        Assert.Equal(WriteOutcome.Saved, outcome);
        Assert.Equal(1, saved.ResourceVersion);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.NotNull(loaded);
        Assert.Equal(host.Id, loaded.Id);
        Assert.Equal(1, loaded.ResourceVersion);
        Assert.Equal(TestHosts.T0, loaded.ToHost().CreatedAt);
        // The JSON columns give the records back equal (the labels dictionary is compared by content on its own).
        Assert.Equal(host.Spec.Labels, loaded.Spec.Labels);
        Assert.Equal(host.Spec with { Labels = loaded.Spec.Labels }, loaded.Spec);
        Assert.Equal(host.Status, loaded.Status);
        Assert.Equal("protected-secret", loaded.BmcPasswordProtected);
        Assert.Equal("52:54:00:00:00:01", loaded.BootMacAddress);
        Assert.Equal(ProvisioningState.Registering, loaded.State);
        Assert.Equal(TestHosts.T0.AddMinutes(5).UtcDateTime, loaded.NextReconcileAt);
        Assert.Null(loaded.LeaseOwner);

        await using var context = db.NewContext();
        var labels = await context.HostLabels.Where(l => l.HostId == host.Id).OrderBy(l => l.Key).ToListAsync();
        Assert.Equal([("rack", "r1"), ("team", "blue")], labels.Select(l => (l.Key, l.Value)));
        var events = await db.NewStore().EventsAsync(host.Id, afterId: 0, limit: 10, None);
        Assert.Equal(["Enrolled"], events.Select(e => e.Reason));
        Assert.Null(events[0].Actor);
    }

    [Theory, BothStores]
    public async Task A_second_host_with_a_taken_name_is_NameTaken_and_leaves_no_row_event_or_change(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var first = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var second = TestHosts.New("node-0", new() { ["team"] = "red" });

        var (outcome, _) = await db.NewStore().AddAsync(second, TestHosts.T0, actor: null, None);

        Assert.Equal(WriteOutcome.NameTaken, outcome);
        await using var context = db.NewContext();
        Assert.Equal([first.Id], await context.Hosts.Select(h => h.Id).ToListAsync());
        Assert.Empty(await context.HostLabels.ToListAsync());
        Assert.Equal([first.Id], await context.HostEvents.Select(e => e.HostId).ToListAsync());
        Assert.Equal([first.Id], await context.HostChanges.Select(c => c.HostId).ToListAsync());
    }

    [Theory, BothStores]
    public async Task A_taken_boot_MAC_is_BootMacTaken_but_hosts_without_one_never_collide(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await db.NewStore().EnrollAsync(TestHosts.New("node-0", bootMac: "52:54:00:00:00:01"));
        await db.NewStore().EnrollAsync(TestHosts.New("node-1"));

        var (sameMac, _) = await db.NewStore().AddAsync(TestHosts.New("node-2", bootMac: "52:54:00:00:00:01"), TestHosts.T0, actor: null, None);
        var (noMac, _) = await db.NewStore().AddAsync(TestHosts.New("node-3"), TestHosts.T0, actor: null, None);

        Assert.Equal(WriteOutcome.BootMacTaken, sameMac);
        Assert.Equal(WriteOutcome.Saved, noMac);
    }

    [Theory, BothStores]
    public async Task A_saved_decision_is_applied_at_the_next_version_with_its_events_change_and_next_look(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var lookAgainAt = TestHosts.T0.AddSeconds(30);

        var update = await db.NewStore().UpdateAsync<string>("node-0", h =>
        {
            h.Request(HostAction.Reboot, TestHosts.T0);
            return Task.FromResult(HostDecision<string>.Save(lookAgainAt));
        }, actor: null, None);

        Assert.Equal(WriteOutcome.Saved, update.Outcome);
        Assert.Equal(2, update.Host!.ResourceVersion);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal(2, loaded!.ResourceVersion);
        Assert.Equal(TestHosts.T0.UtcDateTime, loaded.RebootRequestedAt);
        Assert.Equal(lookAgainAt.UtcDateTime, loaded.NextReconcileAt);
        var events = await db.NewStore().EventsAsync(host.Id, afterId: 0, limit: 10, None);
        Assert.Equal(["Enrolled", "RebootRequested"], events.Select(e => e.Reason));
        var (changes, _) = await db.NewFeed().ReadAfterAsync(0, 10, None);
        Assert.Equal([(HostChangeTypes.Added, 1L), (HostChangeTypes.Modified, 2L)], changes.Select(c => (c.Type, c.ResourceVersion)));
    }

    [Theory, BothStores]
    public async Task A_refused_or_unchanged_decision_writes_nothing_and_a_missing_host_is_never_decided_on(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));

        var refused = await db.NewStore().UpdateAsync<string>("node-0", h =>
        {
            // Changed, then refused: the change must not reach the row.
            h.Request(HostAction.Detach, TestHosts.T0);
            return Task.FromResult(HostDecision<string>.Refuse("no"));
        }, actor: null, None);
        var unchanged = await db.NewStore().UpdateAsync<string>("node-0", _ => Task.FromResult(HostDecision<string>.Unchanged), actor: null, None);
        bool decided = false;
        var missing = await db.NewStore().UpdateAsync<string>("node-9", _ =>
        {
            decided = true;
            return Task.FromResult(HostDecision<string>.Save(TestHosts.T0));
        }, actor: null, None);

        Assert.Equal((WriteOutcome.Refused, "no"), (refused.Outcome, refused.Refusal));
        Assert.Equal(WriteOutcome.Unchanged, unchanged.Outcome);
        Assert.Equal(WriteOutcome.NotFound, missing.Outcome);
        Assert.Null(missing.Host);
        Assert.False(decided);
        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal((1L, false), (loaded!.ResourceVersion, loaded.Detached));
        Assert.Single(await db.NewStore().EventsAsync(host.Id, 0, 10, None));
        Assert.Single((await db.NewFeed().ReadAfterAsync(0, 10, None)).Rows);
    }

    [Theory, BothStores]
    public async Task Changed_labels_are_mirrored_in_the_label_rows_added_changed_and_removed(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0", new() { ["rack"] = "r1", ["team"] = "blue", ["old"] = "x" }));

        var update = await db.NewStore().SetLabelsAsync("node-0", new() { ["rack"] = "r1", ["team"] = "red", ["zone"] = "a" });

        Assert.Equal(WriteOutcome.Saved, update.Outcome);
        await using var context = db.NewContext();
        var rows = await context.HostLabels.Where(l => l.HostId == host.Id).OrderBy(l => l.Key).ToListAsync();
        Assert.Equal([("rack", "r1"), ("team", "red"), ("zone", "a")], rows.Select(l => (l.Key, l.Value)));
    }

    [Theory, BothStores]
    public async Task Removing_a_host_deletes_it_and_its_labels_keeps_its_history_records_DELETED_and_frees_its_name(
        DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var enrolled = await db.NewStore().EnrollAsync(TestHosts.New("node-0", new() { ["team"] = "blue" }, bootMac: "52:54:00:00:00:01"));
        var store = db.NewStore();
        var host = await db.TakeForReconcileAsync(store, enrolled.Id);

        var outcome = await store.RemoveAsync(host, "daemon-a", None);

        Assert.Equal(WriteOutcome.Saved, outcome);
        Assert.Null(await db.NewStore().FindReadOnlyAsync("node-0", None));
        await using var context = db.NewContext();
        Assert.Empty(await context.HostLabels.ToListAsync());
        Assert.Single(await db.NewStore().EventsAsync(enrolled.Id, 0, 10, None));
        var (changes, _) = await db.NewFeed().ReadAfterAsync(0, 10, None);
        // The DELETED change carries the version the removal would have written, so it sorts after every version seen.
        Assert.Equal((HostChangeTypes.Deleted, 2L, "node-0"), (changes[^1].Type, changes[^1].ResourceVersion, changes[^1].HostName));
        var again = TestHosts.New("node-0", new() { ["team"] = "blue" }, bootMac: "52:54:00:00:00:01");
        Assert.Equal(WriteOutcome.Saved, (await db.NewStore().AddAsync(again, TestHosts.T0, actor: null, None)).Outcome);
    }

    [Theory, BothStores]
    public async Task A_reconcile_save_updates_the_state_column_records_the_actor_and_gives_the_lease_back(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", TimeSpan.FromMinutes(5), None));

        Assert.Equal(WriteOutcome.Saved, await db.ReconcileToAsync(host.Id, ProvisioningState.Inspecting));

        var loaded = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal((ProvisioningState.Inspecting, ProvisioningState.Inspecting), (loaded!.State, loaded.Status.Provisioning.State));
        Assert.Equal(2, loaded.ResourceVersion);
        Assert.Null(loaded.LeaseOwner);
        Assert.Null(loaded.LeaseExpiresAt);
        var events = await db.NewStore().EventsAsync(host.Id, 0, 10, None);
        Assert.Equal(("StateChanged", "daemon-a", "registering", "inspecting"),
            (events[^1].Reason, events[^1].Actor, events[^1].FromState, events[^1].ToState));
    }
}
