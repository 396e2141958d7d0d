using System.Text.Json.Nodes;
using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Api;

namespace Metal3.Server.HostSets;

public static class HostSetWrites
{
    /// <summary>Fields of a set that are fixed once it exists: its claims were made for them.</summary>
    private static readonly string[] Fixed = ["name", "labelSelector", "hardware"];

    /// <summary>A set is created with no claims; the loop makes them (a set is never refused for want of hosts).</summary>
    public static async Task<IResult> CreateAsync(HttpRequest request, HostSetServices s, CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var (body, unknown, bindError) = JsonBody.Bind<HostSetRequest>(node!);
        if (bindError is not null)
        {
            return bindError;
        }
        if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(body!, ct)) is { } invalid)
        {
            return invalid;
        }
        var (outcome, set) = await s.Store.AddAsync(Guid.CreateVersion7(), body!.Name!, body.ToSpec(), s.Actor, ct);
        if (outcome != WriteOutcome.Saved)
        {
            return Problems.Conflict($"a host set named '{body.Name}' exists already");
        }
        s.Nudge();
        return new ResultWithETag(TypedResults.Created($"/api/v1/hostsets/{set.Name}", set.ToResponse(HostSetCounts.None)), set.ResourceVersion);
    }

    /// <summary>
    /// JSON merge patch of <c>replicas</c> and <c>template</c>: the patched set is validated whole, as if created, and
    /// saved only if the set was not written meanwhile (<c>If-Match</c> makes that the caller's version: 412 otherwise).
    /// </summary>
    public static async Task<IResult> PatchAsync(string name, HttpRequest request, HostSetServices s, CancellationToken ct)
    {
        var (patch, error) = await JsonBody.ReadNodeAsync(request, JsonBody.MergePatch, ct);
        if (error is not null)
        {
            return error;
        }
        if (!ETags.TryGetPrecondition(request.Headers.IfMatch, BodyVersion(patch!.AsObject()), out long? expected))
        {
            return Problems.BadRequest("If-Match must be an ETag returned by this API, such as \"3\"");
        }
        for (int attempt = 1; attempt <= HostStore.UnconditionalAttempts; attempt++)
        {
            var (set, refused) = await FindForWriteAsync(name, expected, s, ct);
            if (set is null)
            {
                return refused!;
            }
            if (set.DeletionRequestedAt is not null)
            {
                return Problems.Conflict($"host set '{name}' is being deleted");
            }
            var target = set.ToPatchTarget();
            var merged = MergePatch.Apply(target, patch)!.AsObject();
            if (Fixed.FirstOrDefault(f => !JsonNode.DeepEquals(target[f], merged[f])) is { } changed)
            {
                return Problems.Invalid(changed, "cannot be changed: only replicas and template can be patched");
            }
            var (body, unknown, bindError) = JsonBody.Bind<HostSetRequest>(merged);
            if (bindError is not null)
            {
                return bindError;
            }
            if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(body!, ct)) is { } invalid)
            {
                return invalid;
            }
            if (!s.Store.Replace(set, body!.ToSpec(), s.Actor))
            {
                return await OkAsync(set, request, s, ct);
            }
            var outcome = await s.Store.SaveChangesAsync(ct);
            if (outcome == WriteOutcome.Saved)
            {
                s.Nudge();
                return await OkAsync(set, request, s, ct);
            }
            if (expected is not null)
            {
                return Problems.PreconditionFailed("the host set changed while this request was applied; GET it again");
            }
        }
        return Problems.Conflict("the host set kept changing while this request was applied; try again");
    }

    /// <summary>
    /// The set deletes its claims from now on (each releases and cleans its host), and goes with the last one. 202 with
    /// the set as it is now. <c>If-Match</c> makes it conditional (412 when the set changed).
    /// </summary>
    public static async Task<IResult> DeleteAsync(string name, HttpRequest request, HostSetServices s, CancellationToken ct)
    {
        if (!ETags.TryGetPrecondition(request.Headers.IfMatch, bodyVersion: null, out long? expected))
        {
            return Problems.BadRequest("If-Match must be an ETag returned by this API, such as \"3\"");
        }
        for (int attempt = 1; attempt <= HostStore.UnconditionalAttempts; attempt++)
        {
            var (set, refused) = await FindForWriteAsync(name, expected, s, ct);
            if (set is null)
            {
                return refused!;
            }
            if (!s.Store.RequestDeletion(set, s.Actor))
            {
                return await AcceptedAsync(set, s, ct);
            }
            var outcome = await s.Store.SaveChangesAsync(ct);
            if (outcome == WriteOutcome.Saved)
            {
                s.Nudge();
                return await AcceptedAsync(set, s, ct);
            }
            if (expected is not null)
            {
                return Problems.PreconditionFailed("the host set changed while it was being deleted; GET it again");
            }
        }
        return Problems.Conflict("the host set kept changing while it was being deleted; try again");
    }

    /// <summary>The set to write, or why not: no set has the name (404), or If-Match names another version of it (412).</summary>
    private static async Task<(HostSetRecord? Set, IResult? Refused)> FindForWriteAsync(
        string name, long? expected, HostSetServices s, CancellationToken ct)
    {
        var set = await s.Store.FindAsync(name, ct);
        if (set is null)
        {
            return (null, Problems.NotFound($"no host set named '{name}'"));
        }
        if (expected is not null && expected != set.ResourceVersion)
        {
            return (null, Problems.PreconditionFailed($"the host set is at version {set.ResourceVersion}, not {expected}; GET it again and decide again"));
        }
        return (set, null);
    }

    /// <summary>The patch's resourceVersion as a string, when it is one (anything else is refused when the body is bound).</summary>
    private static string? BodyVersion(JsonObject patch) =>
        patch["resourceVersion"] is JsonValue v && v.TryGetValue<string>(out string? version) ? version : null;

    private static async Task<IResult> OkAsync(HostSetRecord set, HttpRequest request, HostSetServices s, CancellationToken ct)
    {
        request.HttpContext.Response.Headers.ETag = ETags.Of(set.ResourceVersion);
        return TypedResults.Ok(set.ToResponse((await s.Store.CountsAsync([set], ct))[set.Id]));
    }

    private static async Task<IResult> AcceptedAsync(HostSetRecord set, HostSetServices s, CancellationToken ct) =>
        new ResultWithETag(TypedResults.Accepted($"/api/v1/hostsets/{set.Name}", set.ToResponse((await s.Store.CountsAsync([set], ct))[set.Id])),
            set.ResourceVersion);
}
