using System.Net;

namespace Metal3.Server.Auth;

/// <summary>Auth mode <c>none</c> is for a developer's own machine: refuse it unless every listening URL is loopback.</summary>
public static class LoopbackGuard
{
    public static IEnumerable<string> ConfiguredUrls(IConfiguration config)
    {
        foreach (string url in (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }
        foreach (var endpoint in config.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { } url)
            {
                yield return url;
            }
        }
    }

    public static string? NonLoopback(IEnumerable<string> urls) => urls.FirstOrDefault(u => !IsLoopback(u));

    public static bool IsLoopback(string url)
    {
        // Kestrel accepts wildcards ("*", "+") that Uri does not; they mean every interface.
        string normalized = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal)
            .Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            return false;
        }
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
