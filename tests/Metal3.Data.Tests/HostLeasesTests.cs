using Metal3.Core.Provisioning;
using Metal3.Data.Tests.Support;

namespace Metal3.Data.Tests;

/// <summary>The host lock two daemons share through the database, on the test's clock.</summary>
public sealed class HostLeasesTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothStores]
    public async Task A_held_lease_is_refused_to_another_owner_until_it_expires(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));

        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", Minute, None));
        Assert.False(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        db.Time.Advance(Minute);
        Assert.False(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        db.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));

        var row = await db.NewStore().FindReadOnlyAsync("node-0", None);
        var until = (TestHosts.T0 + Minute + TimeSpan.FromSeconds(1) + Minute).UtcDateTime;
        Assert.Equal(("daemon-b", until), (row!.LeaseOwner, row.LeaseExpiresAt));
        // Should daemon-b die holding it, the sweep looks at the host again when the lease is over.
        Assert.Equal(until, row.NextReconcileAt);
        Assert.Equal(1, row.ResourceVersion);
    }

    [Theory, BothStores]
    public async Task The_owner_renews_its_lease_by_taking_it_again_before_it_expires(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", Minute, None));

        db.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", Minute, None));
        db.Time.Advance(TimeSpan.FromSeconds(40));

        Assert.False(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        db.Time.Advance(TimeSpan.FromSeconds(21));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
    }

    [Theory, BothStores]
    public async Task Only_the_owner_releases_a_lease_and_releasing_sets_the_next_look(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", Minute, None));
        var nextLook = TestHosts.T0.AddSeconds(15).UtcDateTime;

        await db.NewLeases().ReleaseAsync(host.Id, "daemon-b", nextLook, None);
        Assert.False(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        await db.NewLeases().ReleaseAsync(host.Id, "daemon-a", nextLook, None);

        var row = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Null(row!.LeaseOwner);
        Assert.Null(row.LeaseExpiresAt);
        Assert.Equal(nextLook, row.NextReconcileAt);
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        Assert.False(await db.NewLeases().TryAcquireAsync(Guid.NewGuid(), "daemon-b", Minute, None));
    }

    [Theory, BothStores]
    public async Task Due_hosts_are_claimed_in_due_order_once_per_claim_period_and_a_leased_host_only_when_its_lease_is_over(
        DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var later = (await db.NewStore().AddAsync(TestHosts.New("later"), TestHosts.T0.AddSeconds(8), actor: null, None)).Host;
        var sooner = (await db.NewStore().AddAsync(TestHosts.New("sooner"), TestHosts.T0.AddSeconds(4), actor: null, None)).Host;
        await db.NewStore().AddAsync(TestHosts.New("not-yet"), TestHosts.T0.AddHours(1), actor: null, None);
        var leased = await db.NewStore().EnrollAsync(TestHosts.New("leased"));
        Assert.True(await db.NewLeases().TryAcquireAsync(leased.Id, "daemon-a", Minute, None));
        // An API write while the lease is held asks for a look now: due, but held.
        await db.NewStore().SetLabelsAsync("leased", new() { ["team"] = "blue" });
        db.Time.Advance(TimeSpan.FromSeconds(10));

        var first = await db.NewLeases().ClaimDueAsync(limit: 10, claimFor: TimeSpan.FromSeconds(30), None);
        var again = await db.NewLeases().ClaimDueAsync(limit: 10, claimFor: TimeSpan.FromSeconds(30), None);
        db.Time.Advance(TimeSpan.FromSeconds(31));
        var afterClaim = await db.NewLeases().ClaimDueAsync(limit: 10, claimFor: TimeSpan.FromSeconds(30), None);
        db.Time.Advance(Minute);
        var afterLease = await db.NewLeases().ClaimDueAsync(limit: 1, claimFor: TimeSpan.FromSeconds(30), None);

        Assert.Equal([sooner.Id, later.Id], first);
        Assert.Empty(again);
        // Both were claimed until the same instant: either may come first.
        Assert.Equal(new HashSet<Guid> { sooner.Id, later.Id }, afterClaim.ToHashSet());
        // All three are due by now; the leased host has waited longest (its look was asked for at T0).
        Assert.Equal([leased.Id], afterLease);
    }
    [Theory, BothStores]
    public async Task A_renewal_extends_a_lease_only_while_its_owner_still_holds_it(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-a", Minute, None));

        db.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await db.NewLeases().RenewAsync(host.Id, "daemon-a", Minute, None));
        db.Time.Advance(TimeSpan.FromSeconds(40));
        Assert.False(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        db.Time.Advance(TimeSpan.FromSeconds(21));
        Assert.True(await db.NewLeases().TryAcquireAsync(host.Id, "daemon-b", Minute, None));

        // daemon-a's renewal comes too late: the lease is daemon-b's now, and stays so.
        Assert.False(await db.NewLeases().RenewAsync(host.Id, "daemon-a", Minute, None));
        Assert.Equal("daemon-b", (await db.NewStore().FindReadOnlyAsync("node-0", None))!.LeaseOwner);
        // Nor is a lease given back meanwhile taken again by a renewal.
        await db.NewLeases().ReleaseAsync(host.Id, "daemon-b", TestHosts.T0.UtcDateTime, None);
        Assert.False(await db.NewLeases().RenewAsync(host.Id, "daemon-a", Minute, None));
        Assert.Null((await db.NewStore().FindReadOnlyAsync("node-0", None))!.LeaseOwner);
    }

    [Theory, BothStores]
    public async Task A_late_save_by_a_daemon_whose_lease_was_taken_over_is_refused_and_changes_nothing(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var enrolled = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var slow = db.NewStore();
        var host = await db.TakeForReconcileAsync(slow, enrolled.Id);   // daemon-a, for a minute

        db.Time.Advance(Minute + TimeSpan.FromSeconds(1));
        Assert.True(await db.NewLeases().TryAcquireAsync(enrolled.Id, "daemon-b", Minute, None));
        host.ApplyReconcile(TestHosts.StepTo(host, ProvisioningState.Inspecting));
        var (outcome, events) = await slow.SaveReconciledAsync(host, db.Time.GetUtcNow(), "daemon-a", None);
        var remover = db.NewStore();
        var removal = await remover.RemoveAsync((await remover.FindForReconcileAsync(enrolled.Id, None))!, "daemon-a", None);

        Assert.Equal((WriteOutcome.LeaseLost, WriteOutcome.LeaseLost), (outcome, removal));
        var row = await db.NewStore().FindReadOnlyAsync("node-0", None);
        Assert.Equal((ProvisioningState.Registering, "daemon-b", 1L), (row!.State, row.LeaseOwner, row.ResourceVersion));
        await using var context = db.NewContext();
        Assert.DoesNotContain(context.HostEvents.Where(e => e.HostId == enrolled.Id), e => e.Reason == "StateChanged");
    }

    [Fact]
    public async Task A_daemon_whose_clock_is_90_s_ahead_judges_leases_by_the_database_clock_once_synced()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var host = await db.NewStore().EnrollAsync(TestHosts.New("node-0"));
        var onTime = new DatabaseClock(TimeProvider.System);
        var ahead = new DatabaseClock(new ShiftedClock(TimeSpan.FromSeconds(90)));
        await using var context = db.NewContext();
        Assert.True(await new HostLeases(db.NewContext(), db.Writes, onTime).TryAcquireAsync(host.Id, "daemon-a", Minute, None));

        // Unsynced, the daemon ahead sees daemon-a's lease as over 30 s ago and would drive the same BMC.
        Assert.InRange(ahead.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(89), TimeSpan.FromSeconds(91));
        var offset = await ahead.SyncAsync(context, None);

        Assert.InRange(offset, TimeSpan.FromSeconds(-91), TimeSpan.FromSeconds(-89));
        Assert.InRange(ahead.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
        Assert.False(await new HostLeases(db.NewContext(), db.Writes, ahead).TryAcquireAsync(host.Id, "daemon-b", Minute, None));
        // SQLite is a file on this machine: its clock is this machine's.
        await using var sqlite = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(TimeSpan.Zero, await ahead.SyncAsync(sqlite.NewContext(), None));
    }

    /// <summary>This machine's clock, moved by a fixed amount: a daemon whose clock is wrong.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
