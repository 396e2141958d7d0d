using Microsoft.Net.Http.Headers;

namespace Metal3.Server.Dashboard;

/// <summary>
/// The web dashboard: <c>/</c> and its static files under <c>/ui/</c>. Anonymous on purpose: the page holds no data;
/// its script asks the API for everything with the token the user enters, so the API's own auth decides.
/// </summary>
public static class DashboardApi
{
    /// <summary>
    /// Only this origin's files run, no inline script or style, no plugins, no framing; the page talks only to this
    /// daemon. The icon is an empty data: URL (so the browser does not ask for /favicon.ico).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, DashboardAssets assets) => Serve(http, assets.Find(DashboardAssets.IndexName)))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui/{file}", (string file, HttpContext http, DashboardAssets assets) => Serve(http, assets.Find(file)))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, DashboardAsset? asset)
    {
        var headers = http.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
        if (asset is null)
        {
            return TypedResults.NotFound();
        }
        // Revalidate every time (cheap: 304 by ETag), so a daemon upgrade never leaves an old script running.
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
