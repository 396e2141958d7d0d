using Metal3.Contracts.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;

namespace Metal3.Server.Api;

/// <summary>The host resource, <c>/api/v1/hosts</c>.</summary>
public static class HostsApi
{
    // The README's enrollment, so the document's example is a request that works.
    private const string EnrollExample = """
        {"name": "worker-0", "labels": {"rack": "r1"}, "bootMacAddress": "52:54:00:12:34:56",
         "bmc": {"address": "ipmi://198.18.0.10:623", "username": "admin", "password": "secret"}, "online": true}
        """;

    public static RouteGroupBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/hosts").WithTags("Hosts").RequireAuthorization(Roles.CanRead);

        api.MapGet("", HostReads.ListAsync).WithName("ListHosts")
            .WithMetadata(WatchStreamMetadata.Instance)
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad labelSelector, state, limit, continue, watch or resourceVersion")
            .AnswersProblem(StatusCodes.Status410Gone,
                "watch=true from a resourceVersion older than Metal3:Watch:Retention: list again and watch from the list's");
        api.MapGet("{name}", HostReads.GetAsync).WithName("GetHost")
            .Produces(StatusCodes.Status304NotModified)
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has this name");
        api.MapGet("{name}/events", HostReads.EventsAsync).WithName("ListHostEvents")
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad limit or continue")
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has this name");

        // The bodies are read by hand (unknown fields, merge patch); DescribesBody puts them in the document.
        api.MapPost("", HostWrites.EnrollAsync).WithName("EnrollHost").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<HostRequest>(example: EnrollExample)
            .Produces<HostResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "A host has this name or bootMacAddress already");
        // Apply: 201 when it creates the host, 200 when it replaces the spec (or finds it the same, changing nothing).
        api.MapPut("{name}", HostWrites.ReplaceAsync).WithName("ApplyHost").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<HostRequest>(example: EnrollExample)
            .Produces<HostResponse>()
            .Produces<HostResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict,
                "Another host has this bootMacAddress, the host is being deleted, or it changed or was created meanwhile: try again")
            .AnswersProblem(StatusCodes.Status412PreconditionFailed,
                "If-None-Match: * and the host exists; If-Match (or the body's resourceVersion) and the host is absent or at another version");
        api.MapPatch("{name}", HostWrites.PatchAsync).WithName("PatchHost").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<HostRequest>(JsonBody.MergePatch, """{"online": false, "labels": {"rack": "r2"}, "image": null}""")
            .Produces<HostResponse>()
            .AnswersBodyProblems(JsonBody.MergePatch)
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has this name")
            .AnswersProblem(StatusCodes.Status409Conflict,
                "Another host has this bootMacAddress, the host is being deleted, or it kept changing: try again")
            .AnswersProblem(StatusCodes.Status412PreconditionFailed, "If-Match (or the patch's resourceVersion) is not the host's");
        api.MapDelete("{name}", HostWrites.DeleteAsync).WithName("DeleteHost").RequireAuthorization(Roles.CanWrite)
            .Produces<HostResponse>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has this name")
            .AnswersProblem(StatusCodes.Status409Conflict, "The host kept changing: try again");
        api.MapPost("{name}/actions/{action}", HostActions.RequestAsync).WithName("HostAction").RequireAuthorization(Roles.CanWrite)
            .Produces<HostResponse>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status404NotFound, "No host has this name, or no action is called so (reboot, inspect, detach, attach)")
            .AnswersProblem(StatusCodes.Status409Conflict, "The host is being deleted, or it kept changing: try again");
        return api;
    }
}
