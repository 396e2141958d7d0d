using Metal3.Data;
using Metal3.Server.Agent;
using Metal3.Server.Api;
using Metal3.Server.Auth;
using Metal3.Server.Dashboard;
using Metal3.Server.Jobs;
using Metal3.Server.Metrics;
using Metal3.Server.Pxe;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;

namespace Metal3.Server.Hosting;

public static class Metal3AppExtensions
{
    /// <summary>Before serving: apply migrations, make sure an admin token exists.</summary>
    public static async Task InitializeMetal3Async(this WebApplication app, CancellationToken ct = default)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Metal3DbContext>();
            await db.MigrateAsync(ct);
        }
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
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHostsApi();
        app.MapTokensApi();
        app.MapAgentApi();
        app.MapMetal3Jobs();
        // Created now, so that what happens before the first scrape is counted.
        app.Services.GetRequiredService<MeterExporter>();
        app.Services.GetRequiredService<ServerMetrics>();
        app.MapMetal3Metrics(app.Configuration.GetValue<bool>(MetricsEndpoint.AnonymousKey));
        app.MapPxeBoot();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("metal3 API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        app.MapDashboard();
        return app;
    }

    /// <summary>Ready when the database answers and has every migration this build knows.</summary>
    private static async Task<IResult> ReadyAsync(Metal3DbContext db, CancellationToken ct)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? TypedResults.Ok(new { status = "ready" })
                : TypedResults.Json(new { status = "migrations pending", pending }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return TypedResults.Json(new { status = "database unreachable", error = e.Message },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
