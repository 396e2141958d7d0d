namespace Metal3.Server.Watch;

/// <summary>The watch API and its change feed (<c>Metal3:Watch</c>).</summary>
public sealed class WatchOptions
{
    public const string Section = "Metal3:Watch";

    /// <summary>How often each daemon reads the change feed (one query for all its watchers).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest a change waits behind a lower change id that is not visible yet (PostgreSQL).</summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long changes are kept: a watcher may resume from a change id this recent.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A comment line is sent when a watch has been silent this long.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Events buffered for one watcher; a watcher that falls further behind is disconnected (it resumes).</summary>
    public int WatcherBuffer { get; set; } = 10_000;
}
