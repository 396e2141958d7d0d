using Metal3.Server.Jobs;

namespace Metal3.Server.Tests.Jobs;

public sealed class RunningStepsTests
{
    [Fact]
    public void A_second_step_for_a_host_is_turned_away_and_the_first_is_asked_to_look_again()
    {
        var steps = new RunningSteps();
        var host = Guid.NewGuid();
        var other = Guid.NewGuid();

        Assert.True(steps.TryStart(host));
        Assert.True(steps.TryStart(other));
        Assert.False(steps.TryStart(host));
        Assert.False(steps.TryStart(host));

        Assert.True(steps.Finish(host));
        Assert.False(steps.Finish(other));
        Assert.True(steps.TryStart(host));
        Assert.False(steps.Finish(host));
    }

    [Fact]
    public async Task Many_jobs_at_once_for_one_host_run_one_step_at_a_time()
    {
        var steps = new RunningSteps();
        var host = Guid.NewGuid();
        int inside = 0, most = 0, ran = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            if (!steps.TryStart(host))
            {
                return;
            }
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            Interlocked.Increment(ref ran);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
            steps.Finish(host);
        });

        Assert.Equal(1, most);
        Assert.True(ran >= 1);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
