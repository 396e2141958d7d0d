using FluentValidation;
using Metal3.Contracts.Api;
using Metal3.Data;
using Metal3.Server.Jobs;

namespace Metal3.Server.Claims;

public static class ClaimsServiceExtensions
{
    /// <summary>The claims API and, where this daemon runs jobs, the loop that binds and releases claims.</summary>
    public static IServiceCollection AddMetal3Claims(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<ClaimStore>();
        services.AddScoped<ClaimServices>();
        services.AddSingleton<IValidator<ClaimRequest>, ClaimRequestValidator>();
        services.AddSingleton<ClaimNudges>();
        services.AddSingleton<ClaimBinding>();
        services.AddSingleton<ClaimReconciler>();
        // Read as AddMetal3Jobs reads it: an API-only daemon leaves claims to the daemons that run jobs.
        if ((config.GetSection(JobTimings.Section).Get<JobTimings>() ?? new JobTimings()).Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ClaimReconciler>());
        }
        return services;
    }
}
