using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Api;
using Metal3.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.HostSets;

public static class HostSetReads
{
    /// <summary>Sets by name, filtered by their template's labels, paged with <c>limit</c> and <c>continue</c> as claims are.</summary>
    public static async Task<Results<Ok<ListResponse<HostSetResponse>>, ValidationProblem>> ListAsync(
        HostSetStore store,
        HttpContext http,
        [FromQuery] string? labelSelector,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        var (query, errors) = HostListParameters.Parse(labelSelector, state: null, limit, continueToken);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }
        var (rows, last) = await store.ListAsync(query.Labels, query.Limit, query.AfterName, ct);
        var counts = await store.CountsAsync(rows, ct);
        return TypedResults.Ok(new ListResponse<HostSetResponse>(rows.Select(s => s.ToResponse(counts[s.Id]).For(http.User)).ToList(),
            last is null ? null : HostListParameters.EncodeContinue(last)));
    }

    public static async Task<Results<Ok<HostSetResponse>, ProblemHttpResult>> GetAsync(
        string name, HostSetStore store, HttpContext http, CancellationToken ct)
    {
        var set = await store.FindReadOnlyAsync(name, ct);
        if (set is null)
        {
            return Problems.NotFound($"no host set named '{name}'");
        }
        // The ETag is the spec's version, for If-Match on PATCH and DELETE. No 304 for If-None-Match: the status is
        // counted from the claims at every read and changes under the same tag.
        http.Response.Headers.ETag = ETags.Of(set.ResourceVersion);
        var counts = await store.CountsAsync([set], ct);
        return TypedResults.Ok(set.ToResponse(counts[set.Id]).For(http.User));
    }

    public static async Task<Results<Ok<ListResponse<HostSetEventResponse>>, ProblemHttpResult, ValidationProblem>> EventsAsync(
        string name,
        HostSetStore store,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        if (!EventPage.TryParse(limit, continueToken, out var page, out var problem))
        {
            return problem!;
        }
        var set = await store.FindReadOnlyAsync(name, ct);
        if (set is null)
        {
            return Problems.NotFound($"no host set named '{name}'");
        }
        var events = await store.EventsAsync(set.Id, page.After, page.Take, ct);
        string? next = events.Count == 0 ? null : page.Next(events.Count, events[^1].Id);
        return TypedResults.Ok(new ListResponse<HostSetEventResponse>(events.Select(e => e.ToResponse()).ToList(), next));
    }
}
