using System.Text;

namespace Metal3.Cli.Api;

/// <summary>One dispatched event of a <c>text/event-stream</c>.</summary>
public sealed record ServerSentEvent(string? Id, string Type, string Data);

/// <summary>
/// The event-stream grammar (WHATWG HTML, "Server-sent events"), fed one line at a time: <c>field: value</c> lines
/// accumulate, a blank line dispatches, lines starting with ':' are comments (the daemon's keepalives).
/// </summary>
public sealed class ServerSentEventParser
{
    private readonly StringBuilder data = new();
    private string? id;
    private string? type;
    private bool hasData;

    /// <summary>Returns the event a blank line completes, else null.</summary>
    public ServerSentEvent? Feed(string line)
    {
        if (line.Length == 0)
        {
            return Dispatch();
        }
        if (line[0] == ':')
        {
            return null;
        }
        int colon = line.IndexOf(':');
        string field = colon < 0 ? line : line[..colon];
        string value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' '))
        {
            value = value[1..];
        }
        switch (field)
        {
            case "event":
                type = value;
                break;
            case "data":
                if (hasData)
                {
                    data.Append('\n');
                }
                data.Append(value);
                hasData = true;
                break;
            case "id" when !value.Contains('\0'):
                id = value;
                break;
        }
        return null;
    }

    private ServerSentEvent? Dispatch()
    {
        // The spec keeps the last event id across events; an event without data is not dispatched.
        if (!hasData)
        {
            type = null;
            return null;
        }
        var e = new ServerSentEvent(id, string.IsNullOrEmpty(type) ? "message" : type, data.ToString());
        data.Clear();
        hasData = false;
        type = null;
        return e;
    }
}
