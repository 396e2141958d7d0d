using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Api;

namespace Metal3.Server.Claims;

public static class ClaimWrites
{
    /// <summary>A claim is created Pending; the binding loop gives it a host when one is free (queue, don't reject).</summary>
    public static async Task<IResult> CreateAsync(HttpRequest request, ClaimServices s, CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var (body, unknown, bindError) = JsonBody.Bind<ClaimRequest>(node!);
        if (bindError is not null)
        {
            return bindError;
        }
        if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(body!, ct)) is { } invalid)
        {
            return invalid;
        }
        var (outcome, claim) = await s.Store.AddAsync(Guid.CreateVersion7(), body!.Name!, body.ToSpec(), s.Actor, ct);
        if (outcome != WriteOutcome.Saved)
        {
            return Problems.Conflict($"a claim named '{body.Name}' exists already");
        }
        s.Nudge();
        return new ResultWithETag(TypedResults.Created($"/api/v1/claims/{claim.Name}", claim.ToResponse()), claim.ResourceVersion);
    }

    /// <summary>
    /// The claim is Releasing from now on: its host is deprovisioned and freed, then the claim goes. 202 with the claim as
    /// it is now. <c>If-Match</c> makes it conditional (412 when the claim changed).
    /// </summary>
    public static async Task<IResult> DeleteAsync(string name, HttpRequest request, ClaimServices s, CancellationToken ct)
    {
        if (!ETags.TryGetPrecondition(request.Headers.IfMatch, bodyVersion: null, out long? expected))
        {
            return Problems.BadRequest("If-Match must be an ETag returned by this API, such as \"3\"");
        }
        for (int attempt = 1; attempt <= HostStore.UnconditionalAttempts; attempt++)
        {
            var claim = await s.Store.FindAsync(name, ct);
            if (claim is null)
            {
                return Problems.NotFound($"no claim named '{name}'");
            }
            if (expected is not null && expected != claim.ResourceVersion)
            {
                return Problems.PreconditionFailed(
                    $"the claim is at version {claim.ResourceVersion}, not {expected}; GET it again and decide again");
            }
            if (!s.Store.RequestDeletion(claim, s.Actor))
            {
                return Accepted(claim);
            }
            var outcome = await s.Store.SaveChangesAsync(ct);
            if (outcome == WriteOutcome.Saved)
            {
                s.Nudge();
                return Accepted(claim);
            }
            if (expected is not null)
            {
                return Problems.PreconditionFailed("the claim changed while it was being deleted; GET it again");
            }
        }
        return Problems.Conflict("the claim kept changing while it was being deleted; try again");
    }

    private static IResult Accepted(Metal3.Data.Entities.ClaimRecord claim) =>
        new ResultWithETag(TypedResults.Accepted($"/api/v1/claims/{claim.Name}", claim.ToResponse()), claim.ResourceVersion);
}
