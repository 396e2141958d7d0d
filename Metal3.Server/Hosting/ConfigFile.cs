using Microsoft.Extensions.Configuration.Json;

namespace Metal3.Server.Hosting;

/// <summary>
/// The operator's configuration file outside the install directory, so that upgrading the daemon (replacing its
/// directory and its appsettings.json) never loses settings: <c>--config PATH</c>, else <c>METAL3_CONFIG</c>, else
/// <c>/etc/metal3/appsettings.json</c> when it exists. It overrides the shipped appsettings.json; the environment and
/// the command line still override it.
/// </summary>
public static class ConfigFile
{
    public const string DefaultPath = "/etc/metal3/appsettings.json";
    public const string EnvironmentVariable = "METAL3_CONFIG";
    public const string CommandLineKey = "config";

    /// <summary>Which file to read, and whether it must exist (a path someone named must; the default may be absent).</summary>
    public static (string Path, bool Required)? Locate(string? commandLine, string? environment, Func<string, bool> exists)
    {
        if (!string.IsNullOrWhiteSpace(commandLine))
        {
            return (commandLine, true);
        }
        if (!string.IsNullOrWhiteSpace(environment))
        {
            return (environment, true);
        }
        return exists(DefaultPath) ? (DefaultPath, false) : null;
    }

    public static WebApplicationBuilder AddMetal3ConfigFile(this WebApplicationBuilder builder)
    {
        var location = Locate(builder.Configuration[CommandLineKey], Environment.GetEnvironmentVariable(EnvironmentVariable), File.Exists);
        if (location is not { } found)
        {
            return builder;
        }
        string path = Path.GetFullPath(found.Path);
        if (found.Required && !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"the configuration file {path} (named by --{CommandLineKey} or {EnvironmentVariable}) does not exist");
        }
        var source = new JsonConfigurationSource { Path = path, Optional = !found.Required, ReloadOnChange = false };
        source.ResolveFileProvider();
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
