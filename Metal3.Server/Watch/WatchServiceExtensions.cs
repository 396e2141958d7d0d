using Microsoft.Extensions.Options;

namespace Metal3.Server.Watch;

public static class WatchServiceExtensions
{
    /// <summary>The change hub (one feed reader per daemon) and the pruner behind <c>GET /hosts?watch=true</c>.</summary>
    public static IServiceCollection AddMetal3Watch(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WatchOptions>>().Value);
        services.AddSingleton<ChangeHub>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeHub>());
        services.AddSingleton<ChangePruner>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangePruner>());
        return services;
    }
}
