using System.Text.Json.Nodes;

namespace Metal3.Server.Tests.Support;

/// <summary>One Server-Sent Event as the watch API sends it.</summary>
public sealed record WatchedEvent(long Id, string Type, JsonNode Data)
{
    public JsonNode Host => Data["object"]!;
    public string Name => (string)Host["name"]!;
    public override string ToString() => $"{Id} {Type} {Name} v{(string?)Host["resourceVersion"]} {(string?)Host["status"]?["provisioning"]?["state"]}";
}
