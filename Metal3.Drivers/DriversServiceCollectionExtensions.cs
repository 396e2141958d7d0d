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
    /// <summary>Every BMC driver this build has, the registry that picks one by address scheme, and the deploy agents.</summary>
    public static IServiceCollection AddMetal3Drivers(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FakeDriver>();
        services.AddSingleton<IBmcDriver>(sp => sp.GetRequiredService<FakeDriver>());
        services.AddIpmiDriver();
        services.AddRedfishDriver();
        services.AddSingleton<BmcDriverRegistry>();
        services.AddSingleton<IDeployAgentFactory, DeployAgents>();
        return services;
    }
}
