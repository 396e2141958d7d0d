using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Redfish;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Metal3.Drivers;

public static class DriversServiceCollectionExtensions
{
    /// <summary>
    /// Every BMC driver this build has, the registry that picks one by address scheme, and the deploy agents. Every
    /// <see cref="IBmcCallFilter"/> in the container goes around every BMC call, in the order registered, outside the
    /// circuit breaker (one circuit per BMC) and the guard.
    /// </summary>
    public static IServiceCollection AddMetal3Drivers(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FakeDriver>();
        services.AddSingleton<IBmcDriver>(sp => sp.GetRequiredService<FakeDriver>());
        services.AddSingleton(FakeDriver.Descriptor);
        services.AddIpmiDriver();
        services.AddRedfishDriver();
        services.AddSingleton<BmcCallGuard>();
        services.TryAddSingleton(BmcProbeTiming.Default);
        services.AddSingleton<BmcCircuitBreaker>();
        services.AddSingleton(sp => new BmcDriverRegistry(sp.GetServices<IBmcDriver>(),
            [.. sp.GetServices<IBmcCallFilter>(), sp.GetRequiredService<BmcCircuitBreaker>(), sp.GetRequiredService<BmcCallGuard>()]));
        services.AddSingleton<IDeployAgentFactory, DeployAgents>();
        return services;
    }
}
