using Metal3.Drivers;
using Metal3.Server.Discovery;

namespace Metal3.Server.Agent;

public static class AgentServiceExtensions
{
    /// <summary>The agent API's sessions, discovery of machines no host matches, and, when enabled, the ramdisk agent for hosts with a real BMC.</summary>
    public static IServiceCollection AddMetal3Agent(this IServiceCollection services, IConfiguration config)
    {
        var options = AgentOptions.From(config);
        services.AddSingleton(options);
        services.AddAgentLookupRateLimit(options);
        services.AddScoped<AgentSessionStore>();
        services.AddScoped<AgentTimeline>();
        services.AddSingleton<RamdiskDeployAgent>();
        services.AddScoped<DiscoveredMachines>();
        services.AddSingleton<DiscoverySweep>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscoverySweep>());
        if (options.Enabled == true)
        {
            services.AddSingleton(sp => new InBandAgent(sp.GetRequiredService<RamdiskDeployAgent>()));
        }
        return services;
    }
}
