using System.Text.Json.Nodes;
using FluentValidation;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Metal3.Server.Api;

public static class HostWrites
{
    /// <summary>Unconditional writes retry this many times when another writer got in between read and save.</summary>
    private const int UnconditionalAttempts = 5;

    public static async Task<IResult> EnrollAsync(HttpRequest request, HostServices s, CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var (body, unknown, bindError) = JsonBody.Bind<HostRequest>(node!);
        if (bindError is not null)
        {
            return bindError;
        }
        if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(body!, ct)) is { } invalid)
        {
            return invalid;
        }
        var now = s.UtcNow;
        var host = new HostRecord
        {
            Id = Guid.CreateVersion7(),
            Name = body!.Name!,
            Spec = body.ToSpec(body.Name!),
            Status = HostStatus.Initial(now),
            State = ProvisioningState.Registering,
            OperationalStatus = OperationalStatus.Discovered,
            CreatedAt = now,
            NextReconcileAt = s.SafetyNetFrom(now),
            BmcPasswordProtected = string.IsNullOrEmpty(body.Bmc!.Password) ? null : s.Passwords.Protect(body.Bmc.Password),
        };
        host.BootMacAddress = host.Spec.BootMacAddress;
        var enrolled = HostEventRecord.For(host, now, "Enrolled", $"enrolled with BMC {host.Spec.Bmc.Address}");
        var outcome = await s.Store.AddAsync(host, enrolled, ct);
        if (outcome == WriteOutcome.Saved)
        {
            s.Reconcile(host.Id);
        }
        return outcome switch
        {
            WriteOutcome.Saved => Created(host),
            WriteOutcome.NameTaken => Problems.Conflict($"a host named '{host.Name}' exists already"),
            WriteOutcome.BootMacTaken => Problems.Conflict($"another host has bootMacAddress {host.BootMacAddress}"),
            var other => throw new InvalidOperationException($"unexpected outcome {other}"),
        };
    }

    public static async Task<IResult> ReplaceAsync(
        string name, HttpRequest request, HostServices s, CancellationToken ct)
    {
        var (node, error) = await JsonBody.ReadNodeAsync(request, JsonBody.Json, ct);
        return error ?? await UpdateSpecAsync(name, request, s, _ => node!, ct);
    }

    public static async Task<IResult> PatchAsync(
        string name, HttpRequest request, HostServices s, CancellationToken ct)
    {
        var (patch, error) = await JsonBody.ReadNodeAsync(request, JsonBody.MergePatch, ct);
        return error ?? await UpdateSpecAsync(name, request, s, host => MergePatch.Apply(host.ToPatchTarget(), patch)!, ct);
    }

    public static async Task<IResult> DeleteAsync(string name, HostServices s, CancellationToken ct)
    {
        for (int attempt = 0; attempt < UnconditionalAttempts; attempt++)
        {
            var host = await s.Store.FindAsync(name, ct);
            if (host is null)
            {
                return Problems.NotFound($"no host named '{name}'");
            }
            if (host.DeletionRequestedAt is not null)
            {
                return Accepted(host);
            }
            var now = s.UtcNow;
            host.DeletionRequestedAt = now;
            host.NextReconcileAt = s.SafetyNetFrom(now);
            var requested = HostEventRecord.For(host, now, "DeletionRequested", "deletion requested: deprovision, power off, remove");
            if (await s.Store.UpdateAsync(host, [requested], ct) == WriteOutcome.Saved)
            {
                s.Reconcile(host.Id);
                return Accepted(host);
            }
        }
        return Problems.Conflict("the host kept changing while it was being deleted; try again");
    }

    /// <summary>PUT and PATCH: compute the new request from the stored host, validate, save if still current.</summary>
    private static async Task<IResult> UpdateSpecAsync(
        string name, HttpRequest request, HostServices s, Func<HostRecord, JsonNode> desired, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var host = await s.Store.FindAsync(name, ct);
            if (host is null)
            {
                return Problems.NotFound($"no host named '{name}'");
            }
            var node = desired(host);
            var (body, unknown, bindError) = JsonBody.Bind<HostRequest>(node);
            if (bindError is not null)
            {
                return bindError;
            }
            if (!ETags.TryGetPrecondition(request.Headers.IfMatch, body!.ResourceVersion, out long? expected))
            {
                return Problems.BadRequest("If-Match must be an ETag returned by this API, such as \"3\"");
            }
            if (expected is not null && expected != host.ResourceVersion)
            {
                return Problems.PreconditionFailed(
                    $"the host is at version {host.ResourceVersion}, not {expected}; GET it again and reapply the change");
            }
            if (body.Name is not null && body.Name != name)
            {
                return Problems.Invalid("name", "the name of a host cannot be changed");
            }
            if (host.DeletionRequestedAt is not null)
            {
                return Problems.Conflict($"host '{name}' is being deleted");
            }
            var context = new ValidationContext<HostRequest>(body with { Name = name });
            context.RootContextData[HostRequestValidator.PasswordStored] = host.BmcPasswordProtected is not null;
            if (JsonBody.Problem(unknown, await s.Validator.ValidateAsync(context, ct)) is { } invalid)
            {
                return invalid;
            }

            var now = s.UtcNow;
            var spec = body.ToSpec(name);
            bool changed = spec != host.Spec || !string.IsNullOrEmpty(body.Bmc!.Password);
            var events = new List<HostEventRecord>();
            if (changed)
            {
                host.Spec = spec;
                host.BootMacAddress = spec.BootMacAddress;
                if (!string.IsNullOrEmpty(body.Bmc!.Password))
                {
                    host.BmcPasswordProtected = s.Passwords.Protect(body.Bmc.Password);
                }
                host.NextReconcileAt = s.SafetyNetFrom(now);
                events.Add(HostEventRecord.For(host, now, "SpecUpdated", "spec updated"));
                // A changed spec is the operator's fix: retry at once, with a fresh back-off.
                if (host.Status.ErrorType is { } error)
                {
                    host.Status = host.Status with { ErrorType = null, ErrorMessage = null, ErrorCount = 0,
                        OperationalStatus = host.Status.GoodCredentials ? OperationalStatus.Ok : OperationalStatus.Discovered };
                    host.OperationalStatus = host.Status.OperationalStatus;
                    events.Add(HostEventRecord.For(host, now, "ErrorCleared", $"spec changed: {WireNames<ErrorType>.NameOf(error)} cleared, retrying"));
                }
            }
            var outcome = changed ? await s.Store.UpdateAsync(host, events, ct) : WriteOutcome.Saved;
            switch (outcome)
            {
                case WriteOutcome.Saved:
                    if (changed)
                    {
                        s.Reconcile(host.Id);
                    }
                    request.HttpContext.Response.Headers.ETag = ETags.Of(host.ResourceVersion);
                    return TypedResults.Ok(host.ToResponse());
                case WriteOutcome.BootMacTaken:
                    return Problems.Conflict($"another host has bootMacAddress {spec.BootMacAddress}");
                case WriteOutcome.StaleVersion when expected is not null:
                    return Problems.PreconditionFailed("the host changed while this request was applied; GET it again");
                case WriteOutcome.StaleVersion when attempt + 1 < UnconditionalAttempts:
                    continue;
                default:
                    return Problems.Conflict("the host kept changing while this request was applied; try again");
            }
        }
    }

    private static IResult Created(HostRecord host)
    {
        return new ResultWithETag(TypedResults.Created($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion);
    }

    private static IResult Accepted(HostRecord host) =>
        new ResultWithETag(TypedResults.Accepted($"/api/v1/hosts/{host.Name}", host.ToResponse()), host.ResourceVersion);
}

/// <summary>Adds the host's ETag to another result.</summary>
internal sealed class ResultWithETag(IResult inner, long resourceVersion) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.ETag = ETags.Of(resourceVersion);
        return inner.ExecuteAsync(httpContext);
    }
}
