using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Auth;
using Metal3.Server.Watch;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.Api;

public static class HostReads
{

    public static async Task<Results<Ok<HostListResponse>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> ListAsync(
        HostStore store,
        ChangeHub changes,
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
        // Read before the list: every change up to it is in the list; a watch from it may repeat some, never miss one.
        long listedAt = await changes.ListedAtAsync(ct);
        var (rows, last) = await store.ListAsync(query, ct);
        var items = rows.Select(h => h.ToResponse().For(http.User)).ToList();
        return TypedResults.Ok(new HostListResponse(items, last is null ? null : HostListParameters.EncodeContinue(last),
            listedAt.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<HostResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string name, [FromHeader(Name = "If-None-Match")] string? ifNoneMatch, HostStore store, HttpContext http, CancellationToken ct)
    {
        var host = await store.FindReadOnlyAsync(name, ct);
        if (host is null)
        {
            return Problems.NotFound($"no host named '{name}'");
        }
        string etag = ETags.Of(host.ResourceVersion);
        http.Response.Headers.ETag = etag;
        if (ifNoneMatch == etag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(host.ToResponse().For(http.User));
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
