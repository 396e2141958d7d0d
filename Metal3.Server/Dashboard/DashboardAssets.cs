using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Metal3.Server.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (see the csproj), so a published daemon serves them whatever its
/// working directory and without a wwwroot beside it. Read once; each has a strong ETag from its content.
/// </summary>
public sealed class DashboardAssets
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var found = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] bytes = copy.ToArray();
            string name = resource[ResourcePrefix.Length..];
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
            found[name] = new DashboardAsset(name, bytes, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"), etag);
        }
        if (!found.ContainsKey(IndexName))
        {
            throw new InvalidOperationException($"the dashboard's {IndexName} is not embedded in {assembly.GetName().Name}");
        }
        _assets = found.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public const string IndexName = "index.html";

    public IEnumerable<string> Names => _assets.Keys;

    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);
}
