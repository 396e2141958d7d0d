using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Output;

namespace Metal3.Cli.Hosts;

/// <summary>
/// The hosts of an enroll file: JSON or YAML; one host, a list of hosts, or <c>{"items": [...]}</c> (what
/// <c>hosts list -o json|yaml</c> prints); YAML may hold several documents.
/// </summary>
public static class HostFile
{
    public static IReadOnlyList<JsonObject> Read(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}", ExitCodes.Usage);
        }
        return Parse(text, path);
    }

    public static IReadOnlyList<JsonObject> Parse(string text, string source)
    {
        IReadOnlyList<JsonNode?> documents;
        string trimmed = text.TrimStart();
        bool looksLikeJson = trimmed.StartsWith('{') || trimmed.StartsWith('[');
        try
        {
            documents = looksLikeJson ? [JsonNode.Parse(text)] : YamlJson.ReadDocuments(text);
        }
        catch (JsonException jsonError)
        {
            // "{name: a}" is a YAML flow mapping, not broken JSON: try YAML before blaming the JSON.
            try
            {
                documents = YamlJson.ReadDocuments(text);
            }
            catch (YamlDotNet.Core.YamlException)
            {
                throw new CliException($"{source}: not valid JSON: {jsonError.Message}", ExitCodes.Usage);
            }
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CliException($"{source}: not valid YAML at line {e.Start.Line}: {e.Message}", ExitCodes.Usage);
        }

        var hosts = new List<JsonObject>();
        foreach (var document in documents)
        {
            Collect(document, hosts, source);
        }
        if (hosts.Count == 0)
        {
            throw new CliException($"{source}: no hosts in the file", ExitCodes.Usage);
        }
        var duplicate = hosts.GroupBy(NameOf).FirstOrDefault(g => g.Key is not null && g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CliException($"{source}: host '{duplicate.Key}' appears more than once", ExitCodes.Usage);
        }
        return hosts;
    }

    public static string? NameOf(JsonObject host) =>
        host["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static void Collect(JsonNode? node, List<JsonObject> hosts, string source)
    {
        switch (node)
        {
            case null:
                return; // an empty YAML document, e.g. a trailing '---'
            case JsonArray list:
                foreach (var item in list)
                {
                    Collect(item, hosts, source);
                }
                return;
            case JsonObject obj when obj["items"] is JsonArray items && !obj.ContainsKey("name"):
                Collect(items, hosts, source);
                return;
            case JsonObject obj:
                hosts.Add(obj);
                return;
            default:
                throw new CliException($"{source}: expected a host (a mapping with name:, bmc:, …), found {node.ToJsonString()}",
                    ExitCodes.Usage);
        }
    }
}
