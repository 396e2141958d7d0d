using System.Text.Json.Nodes;
using FluentValidation;
using Metal3.Core.Hosts;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Api;

public static class HostWrites
{
    public static async Task<IResult> EnrollAsync(HttpRequest request, HostServices s, CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        return error ?? await CreateAsync(null, node!, whenNameTaken: Problems.Conflict, s, ct);
    }

    /// <summary>
    /// Apply: creates the host when it is absent (201) and replaces its spec when present (200); the same spec again
    /// changes nothing. <c>If-None-Match: *</c> makes it create-only, <c>If-Match</c> (or the body's resourceVersion)
    /// update-only: 412 when the host is there, or is not.
    /// </summary>
    public static async Task<IResult> ReplaceAsync(
        string name,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        [FromHeader(Name = "If-None-Match")] string? ifNoneMatch,
        HttpRequest request,
        HostServices s,
        CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        if (!string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return ifNoneMatch.Trim() == "*"
                ? await CreateAsync(name, node!, whenNameTaken: Problems.PreconditionFailed, s, ct)
                : Problems.BadRequest("If-None-Match on PUT takes only *: create the host only if none has this name");
        }
        if (await UpdateSpecAsync(name, ifMatch, request, s, _ => node!, ct) is { } updated)
        {
            return updated;
        }
        if (!string.IsNullOrWhiteSpace(ifMatch) || node!["resourceVersion"] is not null)
        {
            return Problems.PreconditionFailed(
                $"no host named '{name}': If-Match (or a resourceVersion in the body) asks to update one that exists");
        }
        // Absent a moment ago; one created since is another writer's, and this apply must not overwrite it unseen.
        return await CreateAsync(name, node!, whenNameTaken: _ => Problems.Conflict(
            $"host '{name}' was created by another request meanwhile; apply again to update it"), s, ct);
    }

    public static async Task<IResult> PatchAsync(
        string name, [FromHeader(Name = "If-Match")] string? ifMatch, HttpRequest request, HostServices s, CancellationToken ct)
    {
        var (patch, error) = await JsonBody.ReadNodeAsync(request, JsonBody.MergePatch, ct);
        return error
            ?? await UpdateSpecAsync(name, ifMatch, request, s, host => MergePatch.Apply(host.ToPatchTarget(), patch)!, ct)
            ?? Problems.NotFound($"no host named '{name}'");
    }

    public static async Task<IResult> DeleteAsync(string name, HostServices s, CancellationToken ct)
    {
        var update = await s.Store.UpdateAsync<IResult>(name, host =>
        {
            var now = s.Now;
            return Task.FromResult(host.RequestDeletion(now) ? HostDecision<IResult>.Save(s.SafetyNetFrom(now)) : HostDecision<IResult>.Unchanged);
        }, s.Actor, ct);
        return update switch
        {
            { Outcome: WriteOutcome.NotFound } => Problems.NotFound($"no host named '{name}'"),
            { Outcome: WriteOutcome.Saved or WriteOutcome.Unchanged, Host: { } host } => AcceptedAfter(update.Outcome, host, s),
            _ => Problems.Conflict("the host kept changing while it was being deleted; try again"),
        };
    }

    /// <summary>202 with the host as it is now; a saved change is reconciled at once.</summary>
    internal static IResult AcceptedAfter(WriteOutcome outcome, Host host, HostServices s)
    {
        if (outcome == WriteOutcome.Saved)
        {
            s.Reconcile(host.Id);
        }
        return new ResultWithETag(TypedResults.Accepted($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion);
    }

    /// <summary>
    /// Enrolls the host of <paramref name="node"/>; with <paramref name="pathName"/> (PUT), the body's name may be left
    /// out and must otherwise be the same.
    /// </summary>
    private static async Task<IResult> CreateAsync(
        string? pathName, JsonNode node, Func<string, IResult> whenNameTaken, HostServices s, CancellationToken ct)
    {
        var (bound, unknown, bindError) = JsonBody.Bind<HostRequest>(node);
        if (bindError is not null)
        {
            return bindError;
        }
        var body = bound!;
        if (pathName is not null)
        {
            if (body.Name is not null && body.Name != pathName)
            {
                return Problems.Invalid("name", $"must be the name in the path, '{pathName}', or left out");
            }
            body = body with { Name = pathName };
        }
        if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(body, ct)) is { } invalid)
        {
            return invalid;
        }
        var now = s.Now;
        var enrolled = Host.Enroll(Guid.CreateVersion7(), body.ToSpec(body.Name!), s.ProtectPassword(body.Bmc!.Password), now);
        var (outcome, host) = await s.Store.AddAsync(enrolled, s.SafetyNetFrom(now), s.Actor, ct);
        if (outcome == WriteOutcome.Saved)
        {
            s.Reconcile(host.Id);
        }
        return outcome switch
        {
            WriteOutcome.Saved => new ResultWithETag(TypedResults.Created($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion),
            WriteOutcome.NameTaken => whenNameTaken($"a host named '{host.Name}' exists already"),
            WriteOutcome.BootMacTaken => Problems.Conflict($"another host has bootMacAddress {host.Spec.BootMacAddress}"),
            var other => throw new InvalidOperationException($"unexpected outcome {other}"),
        };
    }

    /// <summary>
    /// PUT and PATCH: compute the new request from the stored host, validate, save if still current. Null when no host
    /// has the name.
    /// </summary>
    private static async Task<IResult?> UpdateSpecAsync(
        string name, string? ifMatch, HttpRequest request, HostServices s, Func<Host, JsonNode> desired, CancellationToken ct)
    {
        long? expected = null;
        var update = await s.Store.UpdateAsync<IResult>(name, async host =>
        {
            var (body, unknown, bindError) = JsonBody.Bind<HostRequest>(desired(host));
            if (bindError is not null)
            {
                return HostDecision<IResult>.Refuse(bindError);
            }
            if (!ETags.TryGetPrecondition(ifMatch, body!.ResourceVersion, out expected))
            {
                return HostDecision<IResult>.Refuse(Problems.BadRequest("If-Match must be an ETag returned by this API, such as \"3\""));
            }
            if (expected is not null && expected != host.ResourceVersion)
            {
                return HostDecision<IResult>.Refuse(Problems.PreconditionFailed(
                    $"the host is at version {host.ResourceVersion}, not {expected}; GET it again and reapply the change"));
            }
            if (body.Name is not null && body.Name != name)
            {
                return HostDecision<IResult>.Refuse(Problems.Invalid("name", "the name of a host cannot be changed"));
            }
            if (host.IsBeingDeleted)
            {
                return HostDecision<IResult>.Refuse(Problems.Conflict($"host '{name}' is being deleted"));
            }
            var context = new ValidationContext<HostRequest>(body with { Name = name });
            context.RootContextData[HostRequestValidator.PasswordStored] = host.ProtectedBmcPassword is not null;
            if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(context, ct)) is { } invalid)
            {
                return HostDecision<IResult>.Refuse(invalid);
            }
            if (!host.ReplaceSpec(body.ToSpec(name), s.ProtectChangedPassword(body.Bmc!.Password, host.ProtectedBmcPassword)))
            {
                return HostDecision<IResult>.Unchanged;
            }
            var lookAgainAt = s.SafetyNetFrom(s.Now);
            return expected is null ? HostDecision<IResult>.Save(lookAgainAt) : HostDecision<IResult>.SaveOnce(lookAgainAt);
        }, s.Actor, ct);

        switch (update)
        {
            case { Outcome: WriteOutcome.NotFound }:
                return null;
            case { Refusal: { } refused }:
                return refused;
            case { Outcome: WriteOutcome.Saved or WriteOutcome.Unchanged, Host: { } host }:
                if (update.Outcome == WriteOutcome.Saved)
                {
                    s.Reconcile(host.Id);
                }
                request.HttpContext.Response.Headers.ETag = ETags.Of(host.ResourceVersion);
                return TypedResults.Ok(host.ToResponse());
            case { Outcome: WriteOutcome.BootMacTaken, Host: { } host }:
                return Problems.Conflict($"another host has bootMacAddress {host.Spec.BootMacAddress}");
            case { Outcome: WriteOutcome.StaleVersion } when expected is not null:
                return Problems.PreconditionFailed("the host changed while this request was applied; GET it again");
            default:
                return Problems.Conflict("the host kept changing while this request was applied; try again");
        }
    }
}
