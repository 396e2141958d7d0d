using System.Text.Json.Nodes;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>One recorded <c>{request, response}</c> pair of the sushy-tools sets (<c>exchanges/NN-name.json</c>).</summary>
public sealed record RecordedExchange(string File, string Method, string Path, IReadOnlyDictionary<string, string> RequestHeaders,
    JsonNode? RequestBody, int Status, IReadOnlyDictionary<string, string> ResponseHeaders, string? ResponseBody)
{
    public static RecordedExchange Load(string set, string name)
    {
        string file = System.IO.Path.Combine(Mockups.PathOf(set), "exchanges", name);
        Assert.True(System.IO.File.Exists(file), $"{file} is missing");
        var root = JsonNode.Parse(System.IO.File.ReadAllText(file))!;
        var request = root["request"]!;
        var response = root["response"]!;
        // The recorder keeps a JSON body as JSON and anything else as a string.
        string? body = response["body"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out string? text) => text,
            JsonNode n => n.ToJsonString(),
        };
        return new RecordedExchange(name, request["method"]!.GetValue<string>(), request["path"]!.GetValue<string>(),
            Headers(request["headers"]), request["body"]?.DeepClone(), response["status"]!.GetValue<int>(),
            Headers(response["headers"]), body);
    }

    private static Dictionary<string, string> Headers(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

    public bool IsSameTarget(RecordedRequest r) =>
        r.Method == Method && MockupTree.Key(r.Path).Equals(MockupTree.Key(Path), StringComparison.OrdinalIgnoreCase);
}
