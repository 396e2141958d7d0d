using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;

namespace Metal3.Cli.Output;

/// <summary><c>-o json|yaml</c>: the daemon's objects, unchanged, for scripts.</summary>
public static class StructuredOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static OutputFormat Parse(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "table" => OutputFormat.Table,
        "wide" => OutputFormat.Wide,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => throw new CliException($"-o {text}: expected wide, json or yaml", ExitCodes.Usage),
    };

    /// <summary>A list as the daemon sends one, <c>{"items": [...]}</c>, of the objects as they came.</summary>
    public static JsonObject List<T>(IEnumerable<Received<T>> items) =>
        new() { ["items"] = new JsonArray(items.Select(i => (JsonNode)i.Json).ToArray()) };

    /// <summary>True when it printed (json or yaml), false when the caller prints a table.</summary>
    public static bool TryWrite(OutputFormat format, JsonNode node)
    {
        switch (format)
        {
            case OutputFormat.Json:
                Console.Out.WriteLine(node.ToJsonString(Indented));
                return true;
            case OutputFormat.Yaml:
                Console.Out.Write(YamlJson.Write(node));
                return true;
            default:
                return false;
        }
    }
}
