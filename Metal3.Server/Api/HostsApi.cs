using Metal3.Server.Api.Contracts;
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

        api.MapPost("", HostWrites.EnrollAsync).WithName("EnrollHost")
            .Accepts<HostRequest>(JsonBody.Json).RequireAuthorization(Roles.CanWrite);
        api.MapPut("{name}", HostWrites.ReplaceAsync).WithName("ReplaceHost")
            .Accepts<HostRequest>(JsonBody.Json).RequireAuthorization(Roles.CanWrite);
        api.MapPatch("{name}", HostWrites.PatchAsync).WithName("PatchHost")
            .Accepts<HostRequest>(JsonBody.MergePatch).RequireAuthorization(Roles.CanWrite);
        api.MapDelete("{name}", HostWrites.DeleteAsync).WithName("DeleteHost").RequireAuthorization(Roles.CanWrite);
        api.MapPost("{name}/actions/{action}", HostActions.RequestAsync).WithName("HostAction").RequireAuthorization(Roles.CanWrite);
        return api;
    }
}
