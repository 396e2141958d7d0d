using System.Text.Json;
using Metal3.Cli.Api;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Commands;

/// <summary>One change of the watch stream: <c>{"type": "ADDED|MODIFIED|DELETED", "object": host}</c>.</summary>
public sealed record WatchEvent(string Type, HostResponse Host)
{
    public const string Deleted = "DELETED";

    public static WatchEvent? Parse(ServerSentEvent e)
    {
        HostWatchEventResponse? body;
        try
        {
            body = JsonSerializer.Deserialize(e.Data, DaemonJson.Shape<HostWatchEventResponse>());
        }
        catch (JsonException)
        {
            body = null;
        }
        // Not a host change (a bookmark, an unknown event): nothing to show.
        return body?.Object is { } host ? new WatchEvent(body.Type ?? e.Type, host) : null;
    }
}
