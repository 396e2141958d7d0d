using Metal3.Contracts.Api;
using Metal3.Server.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;

namespace Metal3.Server.HostSets;

/// <summary>The host set resource, <c>/api/v1/hostsets</c>: "keep N hosts like this, running this image".</summary>
public static class HostSetsApi
{
    // The README's host set, so the document's example is a request that works.
    private const string CreateExample = """
        {"name": "web", "replicas": 3, "labelSelector": "rack=r1", "hardware": {"minCpus": 8},
         "template": {"image": {"url": "http://images.example/ubuntu.raw", "checksum": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
                      "labels": {"app": "web"}}}
        """;

    public static RouteGroupBuilder MapHostSetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/hostsets").WithTags("HostSets").RequireAuthorization(Roles.CanRead);

        api.MapGet("", HostSetReads.ListAsync).WithName("ListHostSets")
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad labelSelector, limit or continue");
        api.MapGet("{name}", HostSetReads.GetAsync).WithName("GetHostSet")
            .AnswersProblem(StatusCodes.Status404NotFound, "No host set has this name");
        api.MapGet("{name}/events", HostSetReads.EventsAsync).WithName("ListHostSetEvents")
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad limit or continue")
            .AnswersProblem(StatusCodes.Status404NotFound, "No host set has this name");

        // The bodies are read by hand (unknown fields, media type, merge patch); DescribesBody puts them in the document.
        api.MapPost("", HostSetWrites.CreateAsync).WithName("CreateHostSet").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<HostSetRequest>(example: CreateExample)
            .Produces<HostSetResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "A host set has this name already");
        api.MapPatch("{name}", HostSetWrites.PatchAsync).WithName("PatchHostSet").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<HostSetRequest>(JsonBody.MergePatch, """{"replicas": 5, "template": {"image": {"url": "http://images.example/ubuntu-2.raw"}}}""")
            .Produces<HostSetResponse>(StatusCodes.Status200OK)
            .AnswersBodyProblems(JsonBody.MergePatch)
            .AnswersProblem(StatusCodes.Status404NotFound, "No host set has this name")
            .AnswersProblem(StatusCodes.Status409Conflict, "The host set is being deleted, or kept changing: try again")
            .AnswersProblem(StatusCodes.Status412PreconditionFailed, "If-Match is not the host set's");
        api.MapDelete("{name}", HostSetWrites.DeleteAsync).WithName("DeleteHostSet").RequireAuthorization(Roles.CanWrite)
            .Produces<HostSetResponse>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status400BadRequest, "If-Match is not an ETag this API returned")
            .AnswersProblem(StatusCodes.Status404NotFound, "No host set has this name")
            .AnswersProblem(StatusCodes.Status409Conflict, "The host set kept changing: try again")
            .AnswersProblem(StatusCodes.Status412PreconditionFailed, "If-Match is not the host set's");
        return api;
    }
}
