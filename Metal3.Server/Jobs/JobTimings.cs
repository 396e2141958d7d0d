using Metal3.Drivers;

namespace Metal3.Server.Jobs;

/// <summary>The timing knobs of the reconcile loop, in one place (<c>Metal3:Jobs</c>).</summary>
public sealed class JobTimings
{
    public const string Section = "Metal3:Jobs";

    /// <summary>False runs the API only: no reconcile workers, no sweep (another daemon on the same PostgreSQL does the work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a daemon may hold a host. Longer than a step can take (BMC calls have a 20 s deadline).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the sweep looks for hosts whose next look is due.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A host enqueued directly (API write, step that continues at once) is also due again after this, in case the
    /// job is lost with a crashed daemon; the sweep claims due hosts for the same time.
    /// </summary>
    public TimeSpan SafetyNet { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hangfire workers: reconcile steps wait on BMCs and the database, not the CPU.</summary>
    public int Workers { get; set; } = 20;

    /// <summary>How often power is read from every managed host, and with how many BMC calls at once.</summary>
    public TimeSpan PowerSyncInterval { get; set; } = TimeSpan.FromMinutes(1);
    public int PowerSyncConcurrency { get; set; } = 16;

    /// <summary>
    /// How long calls to a BMC that stopped answering fail at once before one probe goes out (then twice as long each
    /// time, up to two minutes): also how soon a BMC that comes back is noticed.
    /// </summary>
    public TimeSpan BmcProbeAfter { get; set; } = BmcProbeTiming.Default.First;
}
