using Metal3.Contracts.Agent;
using Metal3.Core.Hosts;
using Metal3.Data;
using Metal3.Server.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Agent;

/// <summary>
/// <c>/api/v1/agent</c>: what the deploy agent calls. Not behind the API bearer token (the agent has none): lookup is
/// open, and everything else takes the agent token issued at lookup. One token per boot of the ramdisk: a lookup while
/// the host's session is alive gets none, and the token is good for its own host only, until the daemon changes the
/// host's power or the host leaves the states that expect an agent; an ended token never works again.
/// </summary>
public static class AgentApi
{
    public static RouteGroupBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/agent").WithTags("Deploy agent").AllowAnonymous();
        api.MapPost("lookup", LookupAsync).WithName("AgentLookup").RequireRateLimiting(AgentLookupRateLimit.Policy)
            .DescribesBody<AgentLookupRequest>()
            .Produces<AgentLookupResponse>()
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has a bootMacAddress among the MACs")
            .AnswersProblem(StatusCodes.Status409Conflict,
                "The host expects no deploy agent in its state, or its agent session is alive (a second lookup gets no token)")
            .AnswersProblem(StatusCodes.Status429TooManyRequests, "Too many lookups from this address; see Retry-After");
        api.MapPost("hosts/{name}/heartbeat", HeartbeatAsync).WithName("AgentHeartbeat").WithMetadata(AgentTokenMetadata.Instance)
            .DescribesBody<AgentHeartbeat>()
            .Produces<AgentHeartbeatResponse>()
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "The host expects no deploy agent in its state; the token no longer works");
        api.MapPost("hosts/{name}/commands/{id:long}/result", ResultAsync).WithName("AgentCommandResult")
            .WithMetadata(AgentTokenMetadata.Instance)
            .DescribesBody<AgentCommandResult>()
            .Produces(StatusCodes.Status204NoContent)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict,
                "The command is not the one the host is running, or the host expects no deploy agent in its state");
        return api;
    }

    public static async Task<IResult> LookupAsync(
        HttpRequest request, Metal3DbContext db, AgentSessionStore sessions, AgentOptions options, AgentTimeline timeline,
        CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<AgentLookupRequest>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var macs = (body!.Macs ?? []).Select(m => MacAddress.TryNormalize(m, out var n) ? n : null).OfType<string>().Distinct().ToList();
        if (macs.Count == 0)
        {
            return Problems.Invalid("macs", "at least one MAC address (aa:bb:cc:dd:ee:ff) is needed to find the host");
        }
        var host = await db.Hosts.AsNoTracking().Where(h => h.BootMacAddress != null && macs.Contains(h.BootMacAddress))
            .Select(h => new { h.Id, h.Name, h.State }).FirstOrDefaultAsync(ct);
        if (host is null)
        {
            return Problems.NotFound($"no host has a bootMacAddress among {string.Join(", ", macs)}");
        }
        if (!AgentStates.Expects(host.State))
        {
            return Problems.Conflict($"host '{host.Name}' is {Wire(host.State)}, not in a state that expects a deploy agent " +
                "(inspecting, preparing, provisioning, deprovisioning, deleting)");
        }
        string caller = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        // An inventory in the body (older agents sent one) is ignored: anyone may look up, so hardware comes only as the
        // inspect command's result, under the agent token.
        if (await sessions.TryIssueTokenAsync(host.Id, options.HeartbeatTimeout, ct) is not { } token)
        {
            await timeline.RecordAsync(host.Id, host.Name, AgentTimeline.LookupRefused,
                $"lookup from {caller} with {string.Join(", ", macs)} refused: the host's agent session is alive; no token issued", true, ct);
            return Problems.Conflict($"host '{host.Name}' already has a live agent session (a heartbeat within " +
                $"{options.HeartbeatTimeout}); a second lookup gets no token. A rebooted agent gets one once that session has " +
                "been silent that long, or once the daemon has power-cycled the host");
        }
        await timeline.RecordAsync(host.Id, host.Name, AgentTimeline.LookedUp,
            $"agent at {caller} looked up with {string.Join(", ", macs)}; agent token issued", false, ct);
        return TypedResults.Ok(new AgentLookupResponse(host.Name, token, (int)options.HeartbeatInterval.TotalSeconds));
    }

    public static async Task<IResult> HeartbeatAsync(
        string name, HttpRequest request, AgentSessionStore sessions, AgentOptions options, AgentTimeline timeline, CancellationToken ct)
    {
        var (caller, refused) = await AuthoriseAsync(name, request, sessions, ct);
        if (refused is not null)
        {
            return refused;
        }
        var (beat, error) = await JsonBody.ReadAsync<AgentHeartbeat>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        var command = await sessions.HeartbeatAsync(caller!.HostId, beat!, ct);
        if (command is not null)
        {
            await timeline.RecordAsync(caller.HostId, caller.HostName, AgentTimeline.CommandFetched,
                $"agent fetched command {command.Id} ({command.Kind})", false, ct);
        }
        return TypedResults.Ok(new AgentHeartbeatResponse(command, (int)options.HeartbeatInterval.TotalSeconds));
    }

    public static async Task<IResult> ResultAsync(
        string name, long id, HttpRequest request, AgentSessionStore sessions, AgentTimeline timeline, IServiceProvider services,
        CancellationToken ct)
    {
        var (caller, refused) = await AuthoriseAsync(name, request, sessions, ct);
        if (refused is not null)
        {
            return refused;
        }
        var (result, error) = await JsonBody.ReadAsync<AgentCommandResult>(request, JsonBody.Json, ct);
        if (error is not null)
        {
            return error;
        }
        if (!await sessions.CompleteAsync(caller!.HostId, id, result!, ct))
        {
            return Problems.Conflict($"command {id} is not the command host '{name}' is running; its result is ignored");
        }
        await timeline.RecordAsync(caller.HostId, caller.HostName, AgentTimeline.CommandFinished,
            result!.Succeeded ? $"command {id} succeeded" : $"command {id} failed: {result.Message}", !result.Succeeded, ct);
        // The reconciler reads the result on its next look; ask for that look now rather than at the next poll.
        services.GetService<IReconcileQueue>()?.Enqueue(caller.HostId);
        return TypedResults.NoContent();
    }

    private static async Task<(AgentCaller? Caller, ProblemHttpResult? Refused)> AuthoriseAsync(
        string name, HttpRequest request, AgentSessionStore sessions, CancellationToken ct)
    {
        string? header = request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > 300)
        {
            return (null, Unauthorized("send the agent token from lookup as 'Authorization: Bearer <token>'"));
        }
        var caller = await sessions.CallerAsync(header["Bearer ".Length..].Trim(), ct);
        if (caller is null)
        {
            return (null, Unauthorized("unknown or ended agent token (a power action or leaving the agent states ends it): look up again"));
        }
        if (!string.Equals(caller.HostName, name, StringComparison.Ordinal))
        {
            return (null, TypedResults.Problem(title: "Forbidden", statusCode: StatusCodes.Status403Forbidden,
                detail: $"this agent token belongs to another host, not '{name}'"));
        }
        if (!AgentStates.Expects(caller.State))
        {
            return (null, Problems.Conflict($"host '{name}' is {Wire(caller.State)} and expects no deploy agent; its agent token no longer works"));
        }
        return (caller, null);
    }

    private static ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(title: "Unauthorized", detail: detail, statusCode: StatusCodes.Status401Unauthorized);

    private static string Wire(Core.Provisioning.ProvisioningState state) =>
        System.Text.Json.JsonSerializer.Serialize(state, Core.Json.Metal3Json.Options).Trim('"');
}
