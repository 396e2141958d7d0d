using Metal3.Contracts.Api;
using Metal3.Server.Auth;

namespace Metal3.Server.Claims;

/// <summary>Claims, <c>/api/v1/claims</c>: "give me a host like this", bound by the daemon, oldest first.</summary>
public static class ClaimsApi
{
    public static RouteGroupBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/claims").WithTags("Claims").RequireAuthorization(Roles.CanRead);

        api.MapGet("", ClaimReads.ListAsync).WithName("ListClaims");
        api.MapGet("{name}", ClaimReads.GetAsync).WithName("GetClaim");
        api.MapGet("{name}/events", ClaimReads.EventsAsync).WithName("ListClaimEvents");

        // No .Accepts<>(), as for hosts: routing would answer 415 before authentication runs; JsonBody checks media types.
        api.MapPost("", ClaimWrites.CreateAsync).WithName("CreateClaim")
            .Produces<ClaimResponse>(StatusCodes.Status201Created).RequireAuthorization(Roles.CanWrite);
        api.MapDelete("{name}", ClaimWrites.DeleteAsync).WithName("DeleteClaim")
            .Produces<ClaimResponse>(StatusCodes.Status202Accepted).RequireAuthorization(Roles.CanWrite);
        return api;
    }
}
