using System.Security.Cryptography;
using Metal3.Pxe.VirtualMedia;
using Metal3.Server.Pxe;

namespace Metal3.Server.VirtualMedia;

public static class VirtualMediaServiceExtensions
{
    /// <summary>The agent ISO for <c>redfish-virtualmedia://</c> hosts: its URLs (the reconciler inserts them) and its builder.</summary>
    public static IServiceCollection AddMetal3VirtualMedia(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var pxe = sp.GetRequiredService<PxeHosting>();
            // Without a provisioning listener there is nothing to serve, and no key worth keeping.
            return pxe.HttpUrl is null
                ? new AgentIsoUrls(pxe, RandomNumberGenerator.GetBytes(32))
                : AgentIsoUrls.Open(pxe, Path.Combine(pxe.AgentIsoDir, "url.key"));
        });
        services.AddSingleton(sp => new AgentIsoBuilder(sp.GetRequiredService<PxeHosting>().AgentIsoDir,
            sp.GetRequiredService<ILogger<AgentIsoBuilder>>()));
        return services;
    }
}
