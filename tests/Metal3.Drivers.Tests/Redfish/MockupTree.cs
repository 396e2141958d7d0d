using System.Text.Json.Nodes;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// A short-form mockup in memory: <c>/redfish/v1/Systems/1</c> is <c>Systems/1/index.json</c>, looked up
/// case-insensitively with trailing slashes ignored (iLO links differ from its own paths in case). Resources are
/// mutable so the test server can apply PATCHes and actions.
/// </summary>
public sealed class MockupTree
{
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);

    public string Name { get; }

    public object Sync { get; } = new();

    private MockupTree(string name) => Name = name;

    public static MockupTree Load(string set)
    {
        string dir = Mockups.PathOf(set);
        var tree = new MockupTree(set);
        foreach (string file in Directory.EnumerateFiles(dir, "index.json", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(dir, Path.GetDirectoryName(file)!).Replace('\\', '/');
            string key = relative == "." ? "" : relative;
            if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject o) tree._resources[key] = o;
        }
        if (!tree._resources.ContainsKey("")) throw new InvalidOperationException($"{dir} has no index.json for /redfish/v1/");
        return tree;
    }

    /// <summary>
    /// A flat fixture directory (one resource per file, as bmclib and sushy keep them) mounted at each file's own
    /// <c>@odata.id</c>. Where two files claim one id, the file named in <paramref name="prefer"/> wins.
    /// </summary>
    public static MockupTree LoadFlat(string directory, params string[] prefer)
    {
        string dir = Mockups.PathOf(directory);
        var tree = new MockupTree(directory);
        var files = Directory.EnumerateFiles(dir, "*.json").OrderBy(f => prefer.Contains(Path.GetFileName(f)) ? 1 : 0).ThenBy(f => f, StringComparer.Ordinal);
        foreach (string file in files)
        {
            if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject o && o["@odata.id"]?.GetValue<string>() is { } id)
            {
                tree._resources[Key(id)] = o;
            }
        }
        if (!tree._resources.ContainsKey("")) throw new InvalidOperationException($"{dir} has no service root");
        return tree;
    }

    public static string Key(string path)
    {
        string p = Uri.UnescapeDataString(path).Trim();
        int q = p.IndexOf('?');
        if (q >= 0) p = p[..q];
        p = p.TrimEnd('/');
        const string prefix = "/redfish/v1";
        if (p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) p = p[prefix.Length..];
        return p.Trim('/');
    }

    public JsonObject? Get(string path) => _resources.GetValueOrDefault(Key(path));

    public void Put(string path, JsonObject resource) => _resources[Key(path)] = resource;

    public bool Remove(string path) => _resources.Remove(Key(path));

    public IEnumerable<KeyValuePair<string, JsonObject>> All => _resources;

    /// <summary>The first system of the Systems collection, as the driver would resolve it.</summary>
    public string FirstSystemPath()
    {
        var root = Get("/redfish/v1")!;
        string systems = root["Systems"]!["@odata.id"]!.GetValue<string>();
        return Get(systems)!["Members"]![0]!["@odata.id"]!.GetValue<string>();
    }
}
