using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Hosts;

/// <summary>
/// Deciding whether an enroll file asks for something the daemon does not have yet. Both sides are brought to one
/// form first: read-only fields dropped, server defaults filled in, case-insensitive values lower-cased. The BMC
/// password is write-only and cannot be compared: <c>enroll --force</c> sends it again.
/// </summary>
public static class HostSpecs
{
    /// <summary>Response fields the daemon writes; a file made by <c>get -o yaml</c> carries them.</summary>
    private static readonly string[] ReadOnlyFields = ["resourceVersion", "createdAt", "deletionRequestedAt", "status", "userDataSet"];

    /// <summary>What the daemon stores when a field is left out (Metal3.Server's HostMapping.ToSpec).</summary>
    private static readonly (string Path, JsonNode Value)[] Defaults =
    [
        ("online", false),
        ("bootMode", "uefi"),
        ("automatedCleaningMode", "metadata"),
        ("externallyProvisioned", false),
        ("bmc.disableCertificateVerification", false),
        ("image.checksumType", "auto"),
    ];

    /// <summary>Values the daemon compares without case (MACs, enumerations, hex checksums).</summary>
    private static readonly string[] CaseInsensitive =
        ["bootMacAddress", "bootMode", "automatedCleaningMode", "image.checksum", "image.checksumType", "image.format"];

    /// <summary>The body to send: the file's host without the fields the daemon writes.</summary>
    public static JsonObject RequestBody(JsonObject fileHost)
    {
        var body = (JsonObject)fileHost.DeepClone();
        foreach (string field in ReadOnlyFields)
        {
            body.Remove(field);
        }
        (body["bmc"] as JsonObject)?.Remove("credentialsSet");
        return body;
    }

    public static bool SameSpec(JsonObject fileHost, JsonObject stored) =>
        JsonNode.DeepEquals(Canonical(fileHost), Canonical(stored));

    /// <summary>The spec in one comparable form; also what the tests check.</summary>
    public static JsonObject Canonical(JsonObject host)
    {
        var spec = RequestBody(host);
        if (spec["bmc"] is JsonObject bmc)
        {
            bmc.Remove("password");
        }
        foreach (var (path, value) in Defaults)
        {
            if (Parent(spec, path, out string leaf) is { } parent && parent[leaf] is null)
            {
                parent[leaf] = value.DeepClone();
            }
        }
        foreach (string path in CaseInsensitive)
        {
            if (Parent(spec, path, out string leaf) is { } parent && parent[leaf] is JsonValue v
                && v.GetValueKind() == JsonValueKind.String)
            {
                string text = v.GetValue<string>().ToLowerInvariant();
                parent[leaf] = path == "bootMacAddress" ? text.Replace('-', ':') : text;
            }
        }
        spec["labels"] ??= new JsonObject();
        return RemoveNulls(spec);
    }

    /// <summary>The object holding <paramref name="path"/>'s last segment, when every object above it exists.</summary>
    private static JsonObject? Parent(JsonObject root, string path, out string leaf)
    {
        string[] parts = path.Split('.');
        leaf = parts[^1];
        JsonObject? current = root;
        foreach (string part in parts[..^1])
        {
            current = current?[part] as JsonObject;
        }
        return current;
    }

    /// <summary>A null field and a missing field mean the same thing to the daemon.</summary>
    private static JsonObject RemoveNulls(JsonObject obj)
    {
        foreach (string key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }
        foreach (var (_, value) in obj)
        {
            if (value is JsonObject child)
            {
                RemoveNulls(child);
            }
        }
        return obj;
    }
}
