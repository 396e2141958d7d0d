using System.Text.Json.Nodes;

namespace Metal3.Server.Tests.Support;

/// <summary>A client of <c>GET /api/v1/hosts?watch=true</c>: reads the text/event-stream line by line, as a browser does.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private Task<string?>? _pendingLine;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Comment lines seen so far (keepalives).</summary>
    public List<string> Comments { get; } = [];

    public static async Task<EventStream> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new EventStream(response, reader);
    }

    /// <summary>The next event, or null if none comes within <paramref name="within"/>.</summary>
    public async Task<WatchedEvent?> NextAsync(TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        long? id = null;
        string? type = null;
        string? data = null;
        while (true)
        {
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            _pendingLine ??= _reader.ReadLineAsync();
            var done = await Task.WhenAny(_pendingLine, Task.Delay(left));
            if (done != _pendingLine)
            {
                return null;
            }
            string? line = await _pendingLine;
            _pendingLine = null;
            if (line is null)
            {
                throw new EndOfStreamException("the watch stream ended");
            }
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    return new WatchedEvent(id ?? -1, type, JsonNode.Parse(data!)!);
                }
                continue;
            }
            if (line.StartsWith(':'))
            {
                Comments.Add(line);
            }
            else if (line.StartsWith("id: "))
            {
                id = long.Parse(line[4..]);
            }
            else if (line.StartsWith("event: "))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: "))
            {
                data = line[6..];
            }
        }
    }

    /// <summary>Events until <paramref name="done"/> holds for the list so far; fails with what came if it never does.</summary>
    public async Task<List<WatchedEvent>> UntilAsync(Func<List<WatchedEvent>, bool> done, TimeSpan deadline)
    {
        var seen = new List<WatchedEvent>();
        var until = DateTime.UtcNow + deadline;
        while (!done(seen))
        {
            var left = until - DateTime.UtcNow;
            var e = left > TimeSpan.Zero ? await NextAsync(left) : null;
            if (e is null)
            {
                Assert.Fail($"not within {deadline}; events: {string.Join(" | ", seen)}");
            }
            seen.Add(e!);
        }
        return seen;
    }

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }
}
