using Metal3.Server.Jobs;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Metal3.Server.Tests.Jobs;

/// <summary>A step and its host lease, on a test clock: renewed while held, cut short before it can run out.</summary>
public sealed class LeaseKeeperTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_held_lease_is_renewed_every_third_and_the_step_runs_past_its_first_length()
    {
        var time = new FakeTimeProvider();
        int renewals = 0;
        await using var keeper = LeaseKeeper.Start(_ => { Interlocked.Increment(ref renewals); return Task.FromResult(true); }, Lease, time, default);

        await AdvanceAsync(time, TimeSpan.FromSeconds(130));

        Assert.False(keeper.Token.IsCancellationRequested);
        Assert.InRange(renewals, 6, 7);
        Assert.Null(keeper.LostBecause);
    }

    [Fact]
    public async Task A_step_whose_lease_another_daemon_took_is_stopped_at_the_next_renewal()
    {
        var time = new FakeTimeProvider();
        int renewals = 0;
        await using var keeper = LeaseKeeper.Start(_ => Task.FromResult(Interlocked.Increment(ref renewals) == 1), Lease, time, default);

        await AdvanceAsync(time, TimeSpan.FromSeconds(39));
        Assert.False(keeper.Token.IsCancellationRequested);
        await AdvanceAsync(time, TimeSpan.FromSeconds(2));

        await Eventually.Until(() => keeper.Token.IsCancellationRequested, TimeSpan.FromSeconds(5), "the step to be stopped");
        Assert.Contains("another daemon", keeper.LostBecause);
    }

    [Fact]
    public async Task A_step_that_cannot_renew_is_stopped_a_tenth_of_the_lease_before_it_runs_out()
    {
        var time = new FakeTimeProvider();
        await using var keeper = LeaseKeeper.Start(
            _ => Task.FromException<bool>(new NpgsqlException("the database is away")), Lease, time, default);

        await AdvanceAsync(time, TimeSpan.FromSeconds(53));
        Assert.False(keeper.Token.IsCancellationRequested);
        await AdvanceAsync(time, TimeSpan.FromSeconds(2));

        await Eventually.Until(() => keeper.Token.IsCancellationRequested, TimeSpan.FromSeconds(5), "the step to be cut short");
        Assert.Contains("in time", keeper.LostBecause);
    }

    [Fact]
    public async Task The_callers_cancellation_reaches_the_step_and_a_disposed_keeper_renews_no_more()
    {
        var time = new FakeTimeProvider();
        using var stopping = new CancellationTokenSource();
        int renewals = 0;
        var keeper = LeaseKeeper.Start(_ => { Interlocked.Increment(ref renewals); return Task.FromResult(true); }, Lease, time, stopping.Token);

        stopping.Cancel();
        Assert.True(keeper.Token.IsCancellationRequested);
        Assert.Null(keeper.LostBecause);
        await keeper.DisposeAsync();
        await AdvanceAsync(time, TimeSpan.FromSeconds(61));
        Assert.Equal(0, renewals);
    }

    /// <summary>Second by second, giving the keeper's continuations a moment to run between steps.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(15);
        }
    }
}
