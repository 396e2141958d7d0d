using Metal3.Server.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Metal3.Server.Api.OpenApi;

public static class EndpointAccessOf
{
    public static EndpointAccess From(IList<object> metadata)
    {
        if (metadata.OfType<AgentTokenMetadata>().Any())
        {
            return EndpointAccess.AgentToken;
        }
        // AllowAnonymous anywhere on the endpoint (its group included) wins over RequireAuthorization, as in the middleware.
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return EndpointAccess.Anonymous;
        }
        var policies = metadata.OfType<IAuthorizeData>().ToList();
        if (policies.Count == 0)
        {
            return EndpointAccess.AdminToken;   // the fallback policy: a route that names no policy is admin-only
        }
        return policies.Any(p => p.Policy == Roles.CanWrite) ? EndpointAccess.AdminToken : EndpointAccess.ReaderToken;
    }
}
