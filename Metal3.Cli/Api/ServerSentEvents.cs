using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Metal3.Cli.Api;

/// <summary>The events of a <c>text/event-stream</c>, read with the framework's parser (keepalive comments dispatch nothing).</summary>
public static class ServerSentEvents
{
    /// <summary>Every event until the stream ends; a connection that breaks mid-stream ends it too (the caller resumes from the last id).</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        var parser = SseParser.Create(stream);
        await using var items = parser.EnumerateAsync(ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                yield break; // the daemon went away mid-stream: the caller reconnects
            }
            if (!more)
            {
                yield break;
            }
            // The spec keeps the last event id across events; the parser does too.
            yield return new ServerSentEvent(parser.LastEventId is { Length: > 0 } id ? id : null, items.Current.EventType, items.Current.Data);
        }
    }
}
