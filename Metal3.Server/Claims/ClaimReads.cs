using System.Globalization;
using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Api;
using Metal3.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Metal3.Server.Claims;

public static class ClaimReads
{

    /// <summary>Claims by name, filtered by their labels, paged with <c>limit</c> and <c>continue</c> as hosts are.</summary>
    public static async Task<Results<Ok<ListResponse<ClaimResponse>>, ValidationProblem>> ListAsync(
        ClaimStore store,
        HttpContext http,
        [FromQuery] string? labelSelector,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        // The host list's parameters without its state filter: the same selector terms, limits and continue tokens.
        var (query, errors) = HostListParameters.Parse(labelSelector, state: null, limit, continueToken);
        if (query is null)
        {
            return Problems.Invalid(errors);
        }
        var (rows, last) = await store.ListAsync(query.Labels, query.Limit, query.AfterName, ct);
        return TypedResults.Ok(new ListResponse<ClaimResponse>(rows.Select(c => c.ToResponse().For(http.User)).ToList(),
            last is null ? null : HostListParameters.EncodeContinue(last)));
    }

    public static async Task<Results<Ok<ClaimResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string name, ClaimStore store, HttpContext http, CancellationToken ct)
    {
        var claim = await store.FindReadOnlyAsync(name, ct);
        if (claim is null)
        {
            return Problems.NotFound($"no claim named '{name}'");
        }
        string etag = ETags.Of(claim.ResourceVersion);
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Ok(claim.ToResponse().For(http.User));
    }

    public static async Task<Results<Ok<ListResponse<ClaimEventResponse>>, ProblemHttpResult, ValidationProblem>> EventsAsync(
        string name,
        ClaimStore store,
        [FromQuery] int? limit,
        [FromQuery(Name = "continue")] string? continueToken,
        CancellationToken ct)
    {
        if (!EventPage.TryParse(limit, continueToken, out var page, out var problem))
        {
            return problem!;
        }
        var claim = await store.FindReadOnlyAsync(name, ct);
        if (claim is null)
        {
            return Problems.NotFound($"no claim named '{name}'");
        }
        var events = await store.EventsAsync(claim.Id, page.After, page.Take, ct);
        string? next = events.Count == 0 ? null : page.Next(events.Count, events[^1].Id);
        return TypedResults.Ok(new ListResponse<ClaimEventResponse>(events.Select(e => e.ToResponse()).ToList(), next));
    }
}
