using System.Net;
using YamlDotNet.RepresentationModel;

namespace Metal3.Cli.Connection;

/// <summary>Where the daemon is and which token to show it; <c>*Source</c> says where each came from, for messages.</summary>
public sealed record ConnectionSettings(Uri Url, string UrlSource, string? Token, string TokenSource)
{
    public const string DefaultUrl = "http://127.0.0.1:6385";
    public const string UrlVariable = "METAL3_URL";
    public const string TokenVariable = "METAL3_TOKEN";

    /// <summary>
    /// Flags win, then <c>METAL3_URL</c>/<c>METAL3_TOKEN</c>, then the config file, then the defaults: the local daemon
    /// and its admin token file. Each of url and token is resolved on its own, so a config file may hold just the url.
    /// </summary>
    public static ConnectionSettings Resolve(string? urlFlag, string? tokenFlag, IReadOnlyDictionary<string, string?> environment,
        string workingDirectory)
    {
        string? configPath = ConfigFilePath(environment);
        var (configUrl, configToken) = configPath is not null && File.Exists(configPath) ? ReadConfigFile(configPath) : (null, null);

        var (urlText, urlSource) =
            !string.IsNullOrWhiteSpace(urlFlag) ? (urlFlag, "--url")
            : Get(environment, UrlVariable) is { } envUrl ? (envUrl, UrlVariable)
            : configUrl is not null ? (configUrl, configPath!)
            : (DefaultUrl, "default");
        if (!Uri.TryCreate(urlText.Trim(), UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            throw new CliException($"'{urlText}' (from {urlSource}) is not an http:// or https:// URL", ExitCodes.Usage);
        }

        if (!string.IsNullOrWhiteSpace(tokenFlag))
        {
            return new ConnectionSettings(url, urlSource, tokenFlag.Trim(), "--token");
        }
        if (Get(environment, TokenVariable) is { } envToken)
        {
            return new ConnectionSettings(url, urlSource, envToken, TokenVariable);
        }
        if (configToken is not null)
        {
            return new ConnectionSettings(url, urlSource, configToken, configPath!);
        }
        // The local admin token is for the local daemon only: never send it to a remote URL someone configured.
        if (IsLoopback(url))
        {
            foreach (string candidate in AdminTokenFiles(workingDirectory))
            {
                if (TryReadToken(candidate) is { } fileToken)
                {
                    return new ConnectionSettings(url, urlSource, fileToken, candidate);
                }
            }
        }
        return new ConnectionSettings(url, urlSource, null, "none");
    }

    /// <summary><c>$XDG_CONFIG_HOME/metal3/config.yaml</c>, else <c>~/.config/metal3/config.yaml</c>.</summary>
    public static string? ConfigFilePath(IReadOnlyDictionary<string, string?> environment)
    {
        if (Get(environment, "XDG_CONFIG_HOME") is { } xdg)
        {
            return Path.Combine(xdg, "metal3", "config.yaml");
        }
        return Get(environment, "HOME") is { } home ? Path.Combine(home, ".config", "metal3", "config.yaml") : null;
    }

    /// <summary>
    /// Where a daemon on this machine keeps its admin token: started in this directory (<c>./data</c>), started with
    /// <c>dotnet run --project Metal3.Server</c> from the repository root, or as the systemd service.
    /// </summary>
    public static IEnumerable<string> AdminTokenFiles(string workingDirectory) =>
    [
        Path.Combine(workingDirectory, "data", "admin.token"),
        Path.Combine(workingDirectory, "Metal3.Server", "data", "admin.token"),
        "/var/lib/metal3/admin.token",
    ];

    private static (string? Url, string? Token) ReadConfigFile(string path)
    {
        try
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                yaml.Load(reader);
            }
            if (yaml.Documents.Count == 0)
            {
                return (null, null);
            }
            if (yaml.Documents[0].RootNode is not YamlMappingNode map)
            {
                throw new CliException($"{path}: expected a mapping with url: and token:", ExitCodes.Usage);
            }
            string? Scalar(string key) =>
                map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { } v }
                && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
            return (Scalar("url"), Scalar("token"));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliException($"{path}: not valid YAML: {e.Message}", ExitCodes.Usage);
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot be read (permissions)", ExitCodes.Usage);
        }
    }

    private static string? TryReadToken(string path)
    {
        try
        {
            string token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
