using Metal3.Data;
using Metal3.Server.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.Api;

public static class HostReads
{
    private const int MaxEventsPage = 1000;

    public static async Task<Results<Ok<ListResponse<HostResponse>>, ValidationProblem>> ListAsync(
        HostStore store,
        [FromQuery] string? labelSelector,
        [FromQuery] string? state,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        var (query, errors) = HostListParameters.Parse(labelSelector, state, limit, continueToken);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }
        var (rows, last) = await store.ListAsync(query, ct);
        var items = rows.Select(h => h.ToResponse()).ToList();
        return TypedResults.Ok(new ListResponse<HostResponse>(items, last is null ? null : HostListParameters.EncodeContinue(last)));
    }

    public static async Task<Results<Ok<HostResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string name, HostStore store, HttpContext http, CancellationToken ct)
    {
        var host = await store.FindReadOnlyAsync(name, ct);
        if (host is null)
        {
            return Problems.NotFound($"no host named '{name}'");
        }
        string etag = ETags.Of(host.ResourceVersion);
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(host.ToResponse());
    }

    public static async Task<Results<Ok<ListResponse<HostEventResponse>>, ProblemHttpResult, ValidationProblem>> EventsAsync(
        string name,
        HostStore store,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        if (limit is < 1 or > MaxEventsPage)
        {
            return Problems.Invalid("limit", $"must be between 1 and {MaxEventsPage}");
        }
        long after = 0;
        if (!string.IsNullOrEmpty(continueToken) && !long.TryParse(continueToken, out after))
        {
            return Problems.Invalid("continue", "not a continue token returned by this API");
        }
        var host = await store.FindReadOnlyAsync(name, ct);
        if (host is null)
        {
            return Problems.NotFound($"no host named '{name}'");
        }
        int take = limit ?? MaxEventsPage;
        var events = await store.EventsAsync(host.Id, after, take, ct);
        string? next = events.Count == take ? events[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ListResponse<HostEventResponse>(events.Select(e => e.ToResponse()).ToList(), next));
    }
}
