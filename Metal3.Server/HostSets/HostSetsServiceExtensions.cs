using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data;

namespace Metal3.Server.HostSets;

public static class HostSetsServiceExtensions
{
    /// <summary>The host sets API and their step of the claims loop (which runs only where the claims loop does).</summary>
    public static IServiceCollection AddMetal3HostSets(this IServiceCollection services)
    {
        services.AddScoped<HostSetStore>();
        services.AddScoped<HostSetServices>();
        services.AddSingleton<IValidator<HostSetRequest>, HostSetRequestValidator>();
        services.AddSingleton<HostSetReconciler>();
        return services;
    }
}
