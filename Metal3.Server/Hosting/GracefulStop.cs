namespace Metal3.Server.Hosting;

/// <summary>
/// How long SIGTERM may take. systemd kills the daemon 30 s after SIGTERM (the unit's TimeoutStopSec, its default); the
/// host's whole shutdown must end well before that, or a step is cut off by SIGKILL with its lease still held.
/// </summary>
public static class GracefulStop
{
    /// <summary>Everything: stop listening, stop the sweep and the job server, hand hosts back, flush logs.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    /// <summary>The job server's part: cancelled steps hand their hosts back within this.</summary>
    public static readonly TimeSpan JobsWithin = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddGracefulStop(this IServiceCollection services) =>
        services.Configure<HostOptions>(o => o.ShutdownTimeout = Within);
}
