using System.Text;

namespace Metal3.Server.Watch;

/// <summary>
/// The text/event-stream framing of the watch API (WHATWG HTML, "Server-sent events"): <c>id</c> is what a client sends
/// back as <c>Last-Event-ID</c> (or <c>resourceVersion</c>) to resume; <c>data</c> is one line of JSON.
/// </summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    /// <summary>A comment line: ignored by clients, keeps proxies and idle timeouts from closing the stream.</summary>
    public const string KeepAlive = ": keepalive\n\n";

    /// <summary>
    /// One event; its data is <c>Metal3.Contracts.Api.HostWatchEventResponse</c>, written by hand around the host's JSON
    /// (serialized once for every watcher).
    /// </summary>
    /// <param name="hostJson">The host, serialized without indentation (one line).</param>
    public static string Event(long id, string type, string hostJson) =>
        new StringBuilder(hostJson.Length + 80)
            .Append("id: ").Append(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append("event: ").Append(type).Append('\n')
            .Append("data: {\"type\":\"").Append(type).Append("\",\"object\":").Append(hostJson).Append("}\n\n")
            .ToString();
}
