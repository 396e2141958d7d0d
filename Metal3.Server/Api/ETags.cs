using System.Globalization;

namespace Metal3.Server.Api;

/// <summary>The ETag of a host is its resourceVersion, quoted.</summary>
public static class ETags
{
    public static string Of(long resourceVersion) => "\"" + resourceVersion.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>
    /// The version a write is conditional on: <c>If-Match</c> (<c>"5"</c>, <c>W/"5"</c> or <c>*</c>), else the body's
    /// <c>resourceVersion</c>. Null means unconditional. False when the header is present but unreadable.
    /// </summary>
    public static bool TryGetPrecondition(string? ifMatch, string? bodyVersion, out long? expected)
    {
        expected = null;
        string? raw = string.IsNullOrWhiteSpace(ifMatch) ? bodyVersion : ifMatch.Trim();
        if (string.IsNullOrEmpty(raw) || raw == "*")
        {
            return true;
        }
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }
        raw = raw.Trim('"');
        if (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out long v))
        {
            expected = v;
            return true;
        }
        return false;
    }
}
