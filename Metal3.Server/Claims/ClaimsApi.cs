using Metal3.Contracts.Api;
using Metal3.Server.Api;
using Metal3.Server.Api.OpenApi;
using Metal3.Server.Auth;

namespace Metal3.Server.Claims;

/// <summary>The claim resource, <c>/api/v1/claims</c>: "give me a host like this".</summary>
public static class ClaimsApi
{
    // The README's claim, so the document's example is a request that works.
    private const string CreateExample = """
        {"name": "web-0", "labelSelector": "rack=r1,!gpu", "hardware": {"minCpus": 8, "minMemoryMiB": 32768},
         "image": {"url": "http://images.example/ubuntu.raw", "checksum": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}
        """;

    public static RouteGroupBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/claims").WithTags("Claims").RequireAuthorization(Roles.CanRead);

        api.MapGet("", ClaimReads.ListAsync).WithName("ListClaims")
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad labelSelector, limit or continue");
        api.MapGet("{name}", ClaimReads.GetAsync).WithName("GetClaim")
            .Produces(StatusCodes.Status304NotModified)
            .AnswersProblem(StatusCodes.Status404NotFound, "No claim has this name");
        api.MapGet("{name}/events", ClaimReads.EventsAsync).WithName("ListClaimEvents")
            .AnswersProblem(StatusCodes.Status400BadRequest, "A bad limit or continue")
            .AnswersProblem(StatusCodes.Status404NotFound, "No claim has this name");

        // The body is read by hand (unknown fields, media type), as for hosts; DescribesBody puts it in the document.
        api.MapPost("", ClaimWrites.CreateAsync).WithName("CreateClaim").RequireAuthorization(Roles.CanWrite)
            .DescribesBody<ClaimRequest>(example: CreateExample)
            .Produces<ClaimResponse>(StatusCodes.Status201Created)
            .AnswersBodyProblems()
            .AnswersProblem(StatusCodes.Status409Conflict, "A claim has this name already");
        api.MapDelete("{name}", ClaimWrites.DeleteAsync).WithName("DeleteClaim").RequireAuthorization(Roles.CanWrite)
            .Produces<ClaimResponse>(StatusCodes.Status202Accepted)
            .AnswersProblem(StatusCodes.Status400BadRequest, "If-Match is not an ETag this API returned")
            .AnswersProblem(StatusCodes.Status404NotFound, "No claim has this name")
            .AnswersProblem(StatusCodes.Status409Conflict, "The claim kept changing: try again")
            .AnswersProblem(StatusCodes.Status412PreconditionFailed, "If-Match is not the claim's");
        return api;
    }
}
