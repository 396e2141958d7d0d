using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Auth;
using Metal3.Server.Cache;
using Metal3.Server.Watch;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.Api;

/// <summary>
/// The host reads. A list or a get answers from this daemon's <see cref="HostCache"/>, never the database; the events of
/// a host, which the cache does not keep, from the database.
/// </summary>
public static class HostReads
{
    /// <summary>How long a read waits for a starting daemon's cache to load before it is told to come back.</summary>
    private static readonly TimeSpan LoadPatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a list waits for the cache to take in changes committed before it began: one feed read, normally, but
    /// that read can take seconds on a starved machine (CI ran at 40-90 times its cores and missed one second). Longer
    /// only while the feed is held back behind a transaction still committing; the list then says the lower id it holds.
    /// </summary>
    private static readonly TimeSpan CatchUpPatience = TimeSpan.FromSeconds(5);

    public static async Task<Results<HostListJson, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> ListAsync(
        HostStore store,
        ChangeHub changes,
        HostCache cache,
        HttpContext http,
        [FromQuery] string? labelSelector,
        [FromQuery] string? state,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        [FromQuery] string? watch,
        [FromQuery] string? resourceVersion,
        CancellationToken ct)
    {
        var (query, errors) = HostListParameters.Parse(labelSelector, state, limit, continueToken);
        if (watch is not (null or "true" or "false" or "1" or "0"))
        {
            errors["watch"] = ["must be true or false"];
        }
        bool watching = watch is "true" or "1";
        long? resume = null;
        if (watching && !HostWatch.TryParseResume(resourceVersion, http.Request.Headers["Last-Event-ID"], out resume))
        {
            errors["resourceVersion"] = ["must be a resourceVersion returned by this API (a non-negative integer)"];
        }
        if (query is null || errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (watching)
        {
            var services = http.RequestServices;
            return (await HostWatch.RunAsync(http, store, changes, services.GetRequiredService<IDbContextFactory<Metal3DbContext>>(),
                services.GetRequiredService<WatchOptions>(), query, resume, ct)).Result switch
            {
                ProblemHttpResult problem => problem,
                _ => TypedResults.Empty,
            };
        }
        if (!await cache.WaitLoadedAsync(LoadPatience, ct))
        {
            return Loading(http);
        }
        // Before the page: the cache holds every change committed before the list began (this daemon's writes and every
        // other's), so a watch from this id may repeat some changes, never miss one.
        long listedAt = await changes.CaughtUpAsync(CatchUpPatience, ct);
        var (items, last) = cache.List(query);
        return new HostListJson(items, IsAdmin(http), last is null ? null : HostListParameters.EncodeContinue(last), listedAt);
    }

    public static async Task<Results<HostJson, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string name, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch, HostCache cache, HttpContext http, CancellationToken ct)
    {
        if (!await cache.WaitLoadedAsync(LoadPatience, ct))
        {
            return Loading(http);
        }
        if (cache.Get(name) is not { } host)
        {
            return Problems.NotFound($"no host named '{name}'");
        }
        string etag = ETags.Of(host.ResourceVersion);
        if (ifNoneMatch == etag)
        {
            http.Response.Headers.ETag = etag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return new HostJson(host, IsAdmin(http));
    }

    /// <summary>Readers get every host without <c>userData</c> (DESIGN.md, Auth).</summary>
    internal static bool IsAdmin(HttpContext http) => http.User.IsInRole(Roles.Admin);

    /// <summary>A daemon still loading its cache (or unable to, the database being away) answers 503, as an outage does.</summary>
    private static ProblemHttpResult Loading(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(title: "Starting", statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: "the daemon is still loading its hosts from the database; try again after Retry-After seconds");
    }

    public static async Task<Results<Ok<ListResponse<HostEventResponse>>, ProblemHttpResult, ValidationProblem>> EventsAsync(
        string name,
        HostStore store,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        if (!EventPage.TryParse(limit, continueToken, out var page, out var problem))
        {
            return problem!;
        }
        var host = await store.FindReadOnlyAsync(name, ct);
        if (host is null)
        {
            return Problems.NotFound($"no host named '{name}'");
        }
        var events = await store.EventsAsync(host.Id, page.After, page.Take, ct);
        string? next = events.Count == 0 ? null : page.Next(events.Count, events[^1].Id);
        return TypedResults.Ok(new ListResponse<HostEventResponse>(events.Select(e => e.ToResponse()).ToList(), next));
    }
}
