using System.Net;

namespace Metal3.Server.Pxe;

/// <summary>
/// Keeps the two listeners apart (DESIGN.md, "Network boot"): a request that arrived on the provisioning listener
/// (<c>Metal3:Pxe:HttpUrl</c>) reaches only <c>/boot/…</c>, <c>/images/…</c> and <c>/api/v1/agent/…</c>; the boot files
/// and images are not served on the API listener. Anything else is a 404, as if it did not exist there. The iPXE script
/// is answered right here (<see cref="BootScriptEndpoint"/>).
/// </summary>
public static class ProvisioningListener
{
    private static readonly PathString[] BootPaths = ["/boot", "/images"];
    private static readonly PathString[] ProvisioningPaths = [.. BootPaths, "/api/v1/agent"];

    public static IApplicationBuilder UseProvisioningListener(this IApplicationBuilder app)
    {
        var pxe = app.ApplicationServices.GetRequiredService<PxeHosting>();
        if (pxe.HttpUrl is not { } url)
        {
            return app;
        }
        var address = IPAddress.Parse(url.Host);
        int port = url.Port;
        var script = ActivatorUtilities.CreateInstance<BootScriptEndpoint>(app.ApplicationServices);
        return app.Use((context, next) =>
        {
            bool provisioning = context.Connection.LocalPort == port && context.Connection.LocalIpAddress is { } local
                && (local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local).Equals(address);
            if (provisioning && context.Request.Path == BootScriptEndpoint.Path)
            {
                return script.HandleAsync(context);
            }
            bool reachable = provisioning
                ? ProvisioningPaths.Any(p => context.Request.Path.StartsWithSegments(p))
                : !BootPaths.Any(p => context.Request.Path.StartsWithSegments(p));
            if (reachable)
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }
}
