using Metal3.Server.Jobs;

namespace Metal3.Server.Tests.Jobs;

/// <summary>Metal3:Jobs:PowerSyncInterval as the cron schedule Hangfire runs power sync on.</summary>
public sealed class PowerSyncScheduleTests
{
    [Theory]
    [InlineData("00:00:10", "* * * * *")]
    [InlineData("00:05:00", "*/5 * * * *")]
    [InlineData("00:59:00", "*/59 * * * *")]
    [InlineData("01:00:00", "0 */1 * * *")]
    [InlineData("06:30:00", "0 */6 * * *")]
    [InlineData("1.00:00:00", "0 0 * * *")]
    public void An_interval_becomes_a_cron_schedule_with_a_valid_step(string interval, string cron) =>
        // "*/60" or "*/24" in a field is no cron at all: Hangfire refused it and the daemon stopped at start.
        Assert.Equal(cron, JobsServiceExtensions.CronFor(TimeSpan.Parse(interval)));
}
