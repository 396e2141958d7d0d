namespace Metal3.Pxe.Tests;

public sealed class LogThrottleTests
{
    [Fact]
    public void One_line_per_interval_and_the_next_line_counts_what_was_left_out()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10));
        var lines = new List<(long At, int Suppressed)>();

        // A refusal every 100 ms for 25 s: 250 events.
        for (long now = 1_000; now < 26_000; now += 100)
        {
            if (throttle.ShouldLog(now, out int suppressed))
            {
                lines.Add((now, suppressed));
            }
        }

        Assert.Equal([(1_000, 0), (11_000, 99), (21_000, 99)], lines);
    }
}
