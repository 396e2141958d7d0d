using System.Text.Json.Nodes;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>One request as the test server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public bool IsMutation => Method is "POST" or "PATCH" or "PUT" or "DELETE";

    public override string ToString() => $"{Method} {Path} {Body?.ToJsonString()}";
}
