using Metal3.Core.Bmc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Ipmi;

public static class IpmiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the IPMI driver as one <see cref="IBmcDriver"/> for the whole daemon: one socket, one session per BMC.
    /// The container disposes it at shutdown, which closes the sessions on the BMCs.
    /// </summary>
    public static IServiceCollection AddIpmiDriver(this IServiceCollection services, IpmiOptions? options = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new IpmiDriver(options, sp.GetService<ILogger<IpmiDriver>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IBmcDriver>(sp => sp.GetRequiredService<IpmiDriver>());
        services.AddSingleton(IpmiDriver.Descriptor);
        return services;
    }
}
