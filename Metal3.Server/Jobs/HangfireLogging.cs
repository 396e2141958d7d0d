using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Metal3.Server.Jobs;

/// <summary>
/// Hangfire logs through one process-wide provider. When the app that installed it is disposed while another lives
/// on (tests host several daemons in one process), creating a logger would throw ObjectDisposedException from inside
/// Hangfire's job client; this provider gives a silent logger then instead.
/// </summary>
internal sealed class SurvivingLogProvider(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
