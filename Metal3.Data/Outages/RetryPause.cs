namespace Metal3.Data.Outages;

/// <summary>
/// How long a background loop waits after a failed try while the database is away: its own interval, doubling up to
/// <see cref="Cap"/>, so an outage costs a few tries a minute and the loop is back within seconds of the database.
/// </summary>
public sealed class RetryPause(TimeSpan first)
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(4);

    private readonly TimeSpan _first = first < Cap ? first : Cap;
    private TimeSpan _next = first < Cap ? first : Cap;

    public TimeSpan Next()
    {
        var now = _next;
        _next = TimeSpan.FromTicks(Math.Min(Cap.Ticks, _next.Ticks * 2));
        return now;
    }

    public void Reset() => _next = _first;
}
