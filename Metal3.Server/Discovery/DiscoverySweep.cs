using Metal3.Data.Outages;
using Metal3.Server.Agent;

namespace Metal3.Server.Discovery;

/// <summary>
/// Removes discovered machines that stopped reporting (switched off, enrolled elsewhere, or never a machine at all)
/// once <see cref="AgentOptions.DiscoveryTtl"/> has passed; every daemon does, which is harmless. Readers already skip
/// expired rows, so this only keeps the table small.
/// </summary>
public sealed partial class DiscoverySweep(
    IServiceScopeFactory scopes,
    AgentOptions options,
    TimeProvider time,
    DatabaseOutages outages,
    ILogger<DiscoverySweep> log) : BackgroundService
{
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.DiscoveryTtl.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (outages.Report(e, "the discovery sweep"))
            {
                // Runs again at the next tick.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(log, e);
            }
        }
    }

    public async Task<int> SweepOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        int removed = await scope.ServiceProvider.GetRequiredService<DiscoveredMachines>().RemoveExpiredAsync(ct);
        if (removed > 0)
        {
            LogExpired(log, removed, options.DiscoveryTtl);
        }
        return removed;
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Information,
        Message = "Forgot {Count} discovered machine(s) that had not reported within {Ttl}")]
    private static partial void LogExpired(ILogger log, int count, TimeSpan ttl);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "The discovery sweep failed; it runs again later")]
    private static partial void LogSweepFailed(ILogger log, Exception e);
}
