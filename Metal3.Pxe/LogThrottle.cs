namespace Metal3.Pxe;

/// <summary>
/// At most one log line per interval for an event a hostile network can repeat at line rate (a refused request):
/// the line that is written says how many were left out before it, and the metric counts every one. Not thread-safe:
/// each is used from one receive loop.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _next = long.MinValue;
    private int _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were left out since the last one.</summary>
    public bool ShouldLog(long now, out int suppressed)
    {
        if (now < _next)
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }
        suppressed = _suppressed;
        _suppressed = 0;
        _next = now + _intervalMs;
        return true;
    }
}
