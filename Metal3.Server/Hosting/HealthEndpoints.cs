using Metal3.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Metal3.Server.Hosting;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers, nothing else is asked) and <c>/readyz</c> (readiness: the database
/// answers and has every migration), both anonymous, GET only, on ASP.NET's health-check service.
/// </summary>
public static class HealthEndpoints
{
    private const string Readiness = "ready";
    private const string Database = "database";

    public static IServiceCollection AddMetal3HealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<Metal3DbContext>(Database, tags: [Readiness])
            .AddCheck<PendingMigrationsCheck>("migrations", tags: [Readiness]);
        return services;
    }

    public static IEndpointRouteBuilder MapMetal3Health(this IEndpointRouteBuilder app)
    {
        Map(app, "/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (http, _) => http.Response.WriteAsJsonAsync(new { status = "ok" }) });
        Map(app, "/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness), ResponseWriter = WriteReadinessAsync });
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, HealthCheckOptions options) =>
        app.MapHealthChecks(path, options).WithMetadata(new HttpMethodMetadata([HttpMethods.Get])).AllowAnonymous().ExcludeFromDescription();

    /// <summary>The body says which part is not ready: the database (no details), or the migrations it still lacks.</summary>
    private static Task WriteReadinessAsync(HttpContext http, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
        {
            return http.Response.WriteAsJsonAsync(new { status = "ready" });
        }
        // Entries are structs: FirstOrDefault would hand back an empty entry (with no Data) when no check has pending migrations.
        var withPending = report.Entries.Values.Where(e => e.Data?.ContainsKey(PendingMigrationsCheck.PendingKey) == true).ToList();
        if (report.Entries.TryGetValue(Database, out var database) && database.Status == HealthStatus.Healthy && withPending.Count > 0)
        {
            return http.Response.WriteAsJsonAsync(new { status = "migrations pending", pending = withPending[0].Data[PendingMigrationsCheck.PendingKey] });
        }
        // The exception's text stays in the log (the health-check service logs every unhealthy check): /readyz is
        // anonymous, and a driver's message can name hosts, ports, users and file paths.
        return http.Response.WriteAsJsonAsync(new { status = "database unreachable" });
    }
}
