using Microsoft.Extensions.Configuration.Json;

namespace Metal3.Server.Hosting;

/// <summary>
/// The operator's configuration file outside the install directory, so that upgrading the daemon (replacing its
/// directory and its appsettings.json) never loses settings: <c>--config PATH</c>, else <c>METAL3_CONFIG</c> (the
/// systemd unit sets <c>/etc/metal3/appsettings.json</c>). It overrides the shipped appsettings.json; the environment
/// and the command line still override it. There is deliberately no implicit default path: a test or a second daemon
/// started by hand on a provisioning node must not pick up the production database from /etc/metal3.
/// </summary>
public static class ConfigFile
{
    /// <summary>Where the systemd unit and the README put it.</summary>
    public const string ConventionalPath = "/etc/metal3/appsettings.json";
    public const string EnvironmentVariable = "METAL3_CONFIG";
    public const string CommandLineKey = "config";

    /// <summary>Which file to read, if any: the command line's, else the environment's.</summary>
    public static string? Locate(string? commandLine, string? environment) =>
        !string.IsNullOrWhiteSpace(commandLine) ? commandLine
        : !string.IsNullOrWhiteSpace(environment) ? environment
        : null;

    public static WebApplicationBuilder AddMetal3ConfigFile(this WebApplicationBuilder builder)
    {
        if (Locate(builder.Configuration[CommandLineKey], Environment.GetEnvironmentVariable(EnvironmentVariable)) is not { } named)
        {
            return builder;
        }
        string path = Path.GetFullPath(named);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"the configuration file {path} (named by --{CommandLineKey} or {EnvironmentVariable}) does not exist");
        }
        var source = new JsonConfigurationSource { Path = path, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        // After appsettings.json and appsettings.{Environment}.json, before the environment and the command line.
        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        int lastJson = -1;
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource)
            {
                lastJson = i;
            }
        }
        sources.Insert(lastJson + 1, source);
        return builder;
    }
}
