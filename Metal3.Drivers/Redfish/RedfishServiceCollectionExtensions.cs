using System.Net.Security;
using Metal3.Core.Bmc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Redfish;

public static class RedfishServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Redfish driver and its two named HttpClients: one that verifies BMC certificates against the
    /// system CA store, and one for BMCs the operator marked <c>disableCertificateVerification</c>.
    /// </summary>
    public static IServiceCollection AddRedfishDriver(this IServiceCollection services, Action<RedfishOptions>? configure = null)
    {
        var options = new RedfishOptions();
        configure?.Invoke(options);
        services.AddHttpClient(RedfishDriver.VerifiedClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(verify: true));
        services.AddHttpClient(RedfishDriver.UnverifiedClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(verify: false));
        services.AddSingleton(sp => new RedfishDriver(
            sp.GetRequiredService<IHttpClientFactory>(), options, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IBmcDriver>(sp => sp.GetRequiredService<RedfishDriver>());
        services.AddSingleton(RedfishDriver.Descriptor);
        return services;
    }

    internal static SocketsHttpHandler Handler(bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            // Redirects would carry our credentials to wherever the BMC points; Redfish services do not need them.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            // A BMC's HttpClient lives as long as the daemon; recycling connections picks up DNS and address changes.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (!verify)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                // The operator asked for this host: BMCs ship self-signed certificates that nobody replaces.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            };
        }
        return handler;
    }
}
