using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Spectre.Console;
using Spectre.Console.Rendering;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>One change of the watch stream: <c>{"type": "ADDED|MODIFIED|DELETED", "object": host}</c>.</summary>
public sealed record WatchEvent(string Type, JsonObject Host)
{
    public static WatchEvent? Parse(ServerSentEvent e)
    {
        try
        {
            if (JsonNode.Parse(e.Data) is JsonObject body && body["object"] is JsonObject host)
            {
                string type = body["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : e.Type;
                return new WatchEvent(type, (JsonObject)host.DeepClone());
            }
        }
        catch (JsonException)
        {
        }
        return null; // not a host change (a bookmark, an unknown event): nothing to show
    }
}
