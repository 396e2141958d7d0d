namespace Metal3.Server.Hosting;

/// <summary>
/// ASP.NET Core's per-request bookkeeping is switched off when nobody would see it. As long as its logger category
/// (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) is enabled at any level, every request gets an <c>Activity</c> and a
/// logging scope, even when the only messages that category writes per request ("Request starting/finished", at
/// Information) are filtered out. That cost 7-9 % of the iPXE script's rate (bench/pxe/http.sh). So when the
/// configuration filters those messages anyway (the category, by inheritance, at Warning or above), the category is
/// set to None. An operator who turns request logging on (Information or lower anywhere on the way) or names the
/// category keeps exactly what was asked for. The category's few other messages (problems loading hosting-startup
/// assemblies, which the daemon does not use) go with it; a failure to start still ends the process with its exception,
/// and failed requests are logged by Kestrel and the exception handler under their own categories.
/// </summary>
public static class RequestLogDefault
{
    public const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string LogLevels = "Logging:LogLevel:";

    /// <summary>The most specific rule first, as <c>Microsoft.Extensions.Logging</c> chooses among category prefixes.</summary>
    private static readonly string[] InheritedFrom = [Category, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore", "Microsoft", "Default"];

    public static WebApplicationBuilder QuietRequestsWhenUnlogged(this WebApplicationBuilder builder)
    {
        if (ShouldSilence(builder.Configuration))
        {
            builder.Configuration[LogLevels + Category] = nameof(LogLevel.None);
        }
        return builder;
    }

    internal static bool ShouldSilence(IConfiguration configuration)
    {
        foreach (string category in InheritedFrom)
        {
            if (configuration[LogLevels + category] is { } value)
            {
                return category != Category && Enum.TryParse<LogLevel>(value, ignoreCase: true, out var level) && level >= LogLevel.Warning;
            }
        }
        return false;   // nothing configured: Information, the framework's default, logs every request
    }
}
