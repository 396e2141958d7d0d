namespace Metal3.Core.Provisioning;

/// <summary>
/// Retry delay after the n-th consecutive error: 5 s, 10 s, 20 s … capped at 10 minutes, so a host whose BMC comes
/// back is picked up within minutes, and a broken host costs one BMC call every 10 minutes.
/// </summary>
public static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(10);

    public static TimeSpan After(int errorCount)
    {
        if (errorCount <= 1)
        {
            return First;
        }
        double seconds = First.TotalSeconds * Math.Pow(2, Math.Min(errorCount - 1, 20));
        return seconds >= Cap.TotalSeconds ? Cap : TimeSpan.FromSeconds(seconds);
    }
}
