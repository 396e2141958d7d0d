using Metal3.Data;
using Metal3.Server.Agent;
using Metal3.Server.Discovery;
using Metal3.Server.Api;
using Metal3.Server.Auth;
using Metal3.Server.Claims;
using Metal3.Server.Dashboard;
using Metal3.Server.HostSets;
using Metal3.Server.Jobs;
using Metal3.Server.Metrics;
using Metal3.Server.Pxe;
using Metal3.Server.VirtualMedia;
using Scalar.AspNetCore;

namespace Metal3.Server.Hosting;

public static class Metal3AppExtensions
{
    /// <summary>Before serving: apply migrations, read the database's clock, make sure an admin token exists.</summary>
    public static async Task InitializeMetal3Async(this WebApplication app, CancellationToken ct = default)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Metal3DbContext>();
            await db.MigrateAsync(ct);
        }
        // Before any job runs: a lease judged by an unmeasured clock could be taken from a daemon that still holds it.
        await app.Services.GetRequiredService<DatabaseClockSync>().SyncAsync(ct);
        await app.Services.GetRequiredService<AdminTokenBootstrap>().RunAsync(ct);
    }

    public static WebApplication MapMetal3(this WebApplication app)
    {
        app.UseProvisioningListener();
        // Said explicitly so that endpoint matching runs after the provisioning listener: left implicit, WebApplication
        // puts it first, and every iPXE script request would pay for matching against the whole API's routes.
        app.UseRouting();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before authentication, so that writes refused for want of a token are audited too.
        app.UseMiddleware<AuditLog>();
        // After routing: only endpoints that ask for a policy (the agent lookup) are limited.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHostsApi();
        app.MapClaimsApi();
        app.MapHostSetsApi();
        app.MapTokensApi();
        app.MapAgentApi();
        app.MapDiscoveryApi();
        app.MapMetal3Jobs();
        // Created now, so that what happens before the first scrape is counted.
        app.Services.GetRequiredService<MeterExporter>();
        app.Services.GetRequiredService<ServerMetrics>();
        app.MapMetal3Metrics(app.Configuration.GetValue<bool>(MetricsEndpoint.AnonymousKey));
        app.MapPxeBoot();
        app.MapAgentIso();
        app.MapMetal3Health();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("metal3 API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        app.MapDashboard();
        return app;
    }
}
