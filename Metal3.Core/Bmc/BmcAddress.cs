using System.Diagnostics.CodeAnalysis;

namespace Metal3.Core.Bmc;

/// <summary>
/// A parsed BMC address: <c>ipmi://host[:port]</c>, <c>redfish[+http|+https]://host[:port][/redfish/v1/Systems/ID]</c>,
/// <c>redfish-virtualmedia[+http|+https]://…</c>, <c>fake://ID?…</c>.
/// </summary>
public sealed record BmcAddress(BmcDriverKind Kind, string Scheme, string Host, int Port, string Path, string Query, bool Https)
{
    public const int DefaultIpmiPort = 623;

    /// <summary>Base URL for HTTP drivers (Redfish): scheme, host and port only.</summary>
    public Uri HttpBase => new UriBuilder(Https ? "https" : "http", Host, Port).Uri;

    public static readonly IReadOnlyList<string> Schemes =
    [
        "ipmi", "redfish", "redfish+http", "redfish+https",
        "redfish-virtualmedia", "redfish-virtualmedia+http", "redfish-virtualmedia+https", "fake",
    ];

    /// <summary>
    /// Parses an address: a known scheme, a host, a valid port, no credentials. On failure <paramref name="error"/> says
    /// what is wrong in words an operator can act on.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BmcAddress? address, out string error)
    {
        address = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a BMC address is required";
            return false;
        }
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0)
        {
            error = $"'{text}' is not a URL; expected one of the schemes {string.Join(", ", Schemes)}";
            return false;
        }
        string scheme = text[..sep].ToLowerInvariant();
        if (!Schemes.Contains(scheme))
        {
            error = $"unknown BMC scheme '{scheme}'; expected one of {string.Join(", ", Schemes)}";
            return false;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{text}' is not a valid URL with a host (and a port between 1 and 65535, if given)";
            return false;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            error = "credentials do not belong in the BMC address; use bmc.username and bmc.password";
            return false;
        }
        if (text.Contains(":0/", StringComparison.Ordinal) || text.EndsWith(":0", StringComparison.Ordinal))
        {
            error = "port must be between 1 and 65535";
            return false;
        }
        string path = uri.AbsolutePath == "/" ? "" : uri.AbsolutePath.TrimEnd('/');
        string query = uri.Query.TrimStart('?');
        // What the path and query may hold is each driver's to judge (BmcDriverDescriptor.Validate).
        switch (scheme)
        {
            case "ipmi":
                address = new(BmcDriverKind.Ipmi, scheme, uri.Host, uri.IsDefaultPort ? DefaultIpmiPort : uri.Port, path, query, false);
                return true;
            case "fake":
                address = new(BmcDriverKind.Fake, scheme, uri.Host, 0, path, query, false);
                return true;
            default:
                bool https = !scheme.EndsWith("+http", StringComparison.Ordinal);
                var kind = scheme.StartsWith("redfish-virtualmedia", StringComparison.Ordinal)
                    ? BmcDriverKind.RedfishVirtualMedia
                    : BmcDriverKind.Redfish;
                int port = uri.IsDefaultPort || uri.Port < 0 ? (https ? 443 : 80) : uri.Port;
                address = new(kind, scheme, uri.Host, port, path, query, https);
                return true;
        }
    }
}
