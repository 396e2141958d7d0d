using Hangfire.AspNetCore;
using Hangfire.Logging;
using Metal3.Data.Outages;

namespace Metal3.Server.Jobs;

/// <summary>
/// Hangfire logs through one process-wide provider. When the app that installed it is disposed while another lives
/// on (tests host several daemons in one process), creating a logger would throw ObjectDisposedException from inside
/// Hangfire's job client; this provider gives a silent logger then instead. While the database is away, Hangfire's
/// storage errors are that outage, which <see cref="DatabaseOutages"/> reports once: they go to the debug level.
/// </summary>
internal sealed class SurvivingLogProvider(ILoggerFactory factory, DatabaseOutages outages) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new OutageAware(_inner.GetLogger(name), outages);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class OutageAware(ILog inner, DatabaseOutages outages) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            // Hangfire asks "is this level on?" with no message; the answer must not depend on the exception.
            if (messageFunc is not null && exception is not null && logLevel > Hangfire.Logging.LogLevel.Debug
                && (outages.Report(exception, "the job storage") || outages.IsAway))
            {
                return inner.Log(Hangfire.Logging.LogLevel.Debug, messageFunc, exception);
            }
            return inner.Log(logLevel, messageFunc, exception);
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
