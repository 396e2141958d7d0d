using System.Text;
using Microsoft.AspNetCore.Http;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// Plays a script of recorded exchanges on a <see cref="RedfishTestServer"/>: the next scripted request, when the
/// driver sends it, gets the recorded answer; anything else is served from the set's tree. So the write gets the
/// emulator's real answer and the read-back after it gets what the emulator showed then.
/// </summary>
public sealed class ExchangeReplay
{
    private readonly List<RecordedExchange> _script;
    private int _next;

    public List<(RecordedExchange Recorded, RecordedRequest Sent)> Matched { get; } = [];

    /// <summary>When set, a scripted request matches any request with the same method and last path segment.</summary>
    public bool MatchActionByName { get; init; }

    public ExchangeReplay(IEnumerable<RecordedExchange> script) => _script = script.ToList();

    public IReadOnlyList<RecordedExchange> Unplayed => _script.Skip(_next).ToList();

    public void Attach(RedfishTestServer server) => server.Intercept = PlayAsync;

    private async Task<bool> PlayAsync(HttpContext context, RecordedRequest request)
    {
        RecordedExchange? expected;
        lock (_script)
        {
            expected = _next < _script.Count ? _script[_next] : null;
            if (expected is null || !Matches(expected, request)) return false;
            _next++;
            Matched.Add((expected, request));
        }
        context.Response.StatusCode = expected.Status;
        foreach (var (name, value) in expected.ResponseHeaders)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) context.Response.Headers[name] = value;
        }
        if (expected.ResponseBody is { } body) await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
        return true;
    }

    private bool Matches(RecordedExchange e, RecordedRequest r) =>
        e.IsSameTarget(r) ||
        (MatchActionByName && e.Method == r.Method && e.Path.Split('/')[^1] == r.Path.Split('/')[^1]);
}
