using System.Diagnostics.Metrics;
using Metal3.Core.Bmc;

namespace Metal3.Server.Metrics;

public static class MetricsServiceExtensions
{
    /// <summary>
    /// The daemon's instruments, the exporter behind <c>/metrics</c>, and BMC calls metered at the driver registry.
    /// Call after the drivers are registered: this registry, built on metered drivers, replaces theirs.
    /// </summary>
    public static IServiceCollection AddMetal3Metrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton(sp => new MeterExporter(sp.GetService<IMeterFactory>()));
        services.AddSingleton<HostCounts>();
        services.AddSingleton<ReconcileQueueDepth>();
        services.AddSingleton<IScrapeSource>(sp => sp.GetRequiredService<HostCounts>());
        services.AddSingleton<IScrapeSource>(sp => sp.GetRequiredService<ReconcileQueueDepth>());
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton(sp => new BmcDriverRegistry(sp.GetServices<IBmcDriver>()
            .Select(d => (IBmcDriver)new MeteredBmcDriver(d, sp.GetRequiredService<ServerMetrics>()))));
        return services;
    }
}
