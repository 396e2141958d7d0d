using Metal3.Server.Agent;
using Metal3.Server.Jobs;
using Metal3.Server.Metrics;
using Metal3.Server.Pxe;
using Metal3.Server.Watch;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Metal3.Server.Hosting;

/// <summary>
/// The <c>Metal3</c> settings: each section bound to its options class and validated when the host starts, and
/// <see cref="ThrowIfInvalid"/>, which the daemon runs before anything is registered on those values, so that every
/// problem (unknown keys included) is reported at once, each by its key.
/// </summary>
public static class Metal3Configuration
{
    public static ConfigurationKeys Keys { get; } = PxeConfiguration.DeclareKeys(new ConfigurationKeys()
        .Bound<Metal3Options>(Metal3Options.Section)
        .Bound<JobTimings>(JobTimings.Section)
        .Bound<WatchOptions>(WatchOptions.Section)
        .Bound<AgentOptions>(AgentOptions.Section)
        .ReadByHand(LogFormat.Key)
        .ReadByHand<bool>(MetricsEndpoint.AnonymousKey));

    public static IServiceCollection AddMetal3Options(this IServiceCollection services)
    {
        Bind<Metal3Options, Metal3OptionsValidator>(services, Metal3Options.Section);
        Bind<JobTimings, JobTimingsValidator>(services, JobTimings.Section);
        Bind<WatchOptions, WatchOptionsValidator>(services, WatchOptions.Section);
        Bind<AgentOptions, AgentOptionsValidator>(services, AgentOptions.Section).PostConfigure<IConfiguration>(AgentOptions.DefaultEnabled);
        return services;
    }

    /// <summary>Throws one exception listing every problem under <c>Metal3:</c>, each named by its key.</summary>
    public static void ThrowIfInvalid(IConfiguration config)
    {
        var named = Keys.Problems(config, Metal3Options.Section).ToList();
        var problems = named.Select(p => p.Problem).ToList();
        // The options are validated without the values the binder could not convert (it would stop at the first),
        // so that a bad value hides no other problem.
        var convertible = new ConfigurationBuilder().AddConfiguration(config)
            .AddInMemoryCollection(named.Select(p => KeyValuePair.Create(p.Key, (string?)null))).Build();
        using (var services = new ServiceCollection().AddSingleton<IConfiguration>(convertible).AddMetal3Options().BuildServiceProvider())
        {
            problems.AddRange(Failures<Metal3Options>(services));
            problems.AddRange(Failures<JobTimings>(services));
            problems.AddRange(Failures<WatchOptions>(services));
            problems.AddRange(Failures<AgentOptions>(services));
        }
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Configuration refused:\n  " + string.Join("\n  ", problems));
        }
    }

    private static OptionsBuilder<TOptions> Bind<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private static IEnumerable<string> Failures<TOptions>(IServiceProvider services) where TOptions : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<TOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures;
        }
    }
}
