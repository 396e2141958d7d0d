using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Output;

/// <summary>Numbers out of JSON nodes without caring how the node was built.</summary>
public static class JsonNumbers
{
    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out long l) ? l
        : node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue(out double x) ? (long)x
        : null;
}
