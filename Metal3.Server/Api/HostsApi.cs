using Metal3.Contracts.Api;
using Metal3.Server.Auth;

namespace Metal3.Server.Api;

/// <summary>The host resource, <c>/api/v1/hosts</c>.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/hosts").WithTags("Hosts").RequireAuthorization(Roles.CanRead);

        api.MapGet("", HostReads.ListAsync).WithName("ListHosts");
        api.MapGet("{name}", HostReads.GetAsync).WithName("GetHost");
        api.MapGet("{name}/events", HostReads.EventsAsync).WithName("ListHostEvents");

        // No .Accepts<>(): it would make routing answer 415 before authentication runs; JsonBody checks media types.
        api.MapPost("", HostWrites.EnrollAsync).WithName("EnrollHost")
            .Produces<HostResponse>(StatusCodes.Status201Created).RequireAuthorization(Roles.CanWrite);
        api.MapPut("{name}", HostWrites.ReplaceAsync).WithName("ReplaceHost")
            .Produces<HostResponse>().RequireAuthorization(Roles.CanWrite);
        api.MapPatch("{name}", HostWrites.PatchAsync).WithName("PatchHost")
            .Produces<HostResponse>().RequireAuthorization(Roles.CanWrite);
        api.MapDelete("{name}", HostWrites.DeleteAsync).WithName("DeleteHost")
            .Produces<HostResponse>(StatusCodes.Status202Accepted).RequireAuthorization(Roles.CanWrite);
        api.MapPost("{name}/actions/{action}", HostActions.RequestAsync).WithName("HostAction")
            .Produces<HostResponse>(StatusCodes.Status202Accepted).RequireAuthorization(Roles.CanWrite);
        return api;
    }
}
