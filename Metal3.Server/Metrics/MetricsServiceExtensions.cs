using System.Diagnostics.Metrics;
using Metal3.Core.Bmc;

namespace Metal3.Server.Metrics;

public static class MetricsServiceExtensions
{
    /// <summary>
    /// The daemon's instruments, the exporter behind <c>/metrics</c>, and BMC calls metered by a filter on the call path.
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
        services.AddSingleton<IBmcCallFilter, BmcCallMetering>();
        return services;
    }
}
