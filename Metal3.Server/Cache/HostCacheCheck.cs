using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Metal3.Server.Cache;

/// <summary>Readiness: host reads answer from the cache, so a daemon is not ready until the cache has loaded.</summary>
public sealed class HostCacheCheck(HostCache cache) : IHealthCheck
{
    public const string Name = "host cache";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) =>
        Task.FromResult(cache.IsLoaded ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("loading the hosts"));
}
