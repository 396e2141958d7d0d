using Metal3.Server.Auth;

namespace Metal3.Server.Metrics;

public static class MetricsEndpoint
{
    public const string AnonymousKey = "Metal3:Metrics:Anonymous";

    /// <summary>
    /// <c>GET /metrics</c> in the Prometheus text format, with the reader token like the API, or without one when
    /// <c>Metal3:Metrics:Anonymous=true</c> (a scraper on a trusted network).
    /// </summary>
    public static IEndpointRouteBuilder MapMetal3Metrics(this IEndpointRouteBuilder app, bool anonymous)
    {
        var route = app.MapGet("/metrics", ScrapeAsync).ExcludeFromDescription();
        if (anonymous)
        {
            route.AllowAnonymous();
        }
        else
        {
            route.RequireAuthorization(Roles.CanRead);
        }
        return app;
    }

    private static async Task<IResult> ScrapeAsync(IEnumerable<IScrapeSource> sources, MeterExporter exporter, CancellationToken ct)
    {
        await Task.WhenAll(sources.Select(s => s.RefreshAsync(ct)));
        return TypedResults.Text(PrometheusText.Format(exporter.Collect()), PrometheusText.ContentType);
    }
}
