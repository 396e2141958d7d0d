using Metal3.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Metal3.Server.Hosting;

/// <summary>
/// Unhealthy while the database lacks a migration this build knows (another daemon is upgrading it, or an operator
/// has yet to), naming them; a database that does not answer throws, and the health-check service reports why.
/// </summary>
public sealed class PendingMigrationsCheck(Metal3DbContext db) : IHealthCheck
{
    public const string PendingKey = "pending";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("migrations pending", data: new Dictionary<string, object> { [PendingKey] = pending });
    }
}
