using Microsoft.Extensions.Logging;

namespace Metal3.Pxe.Tests.Support;

/// <summary>Writes every log line to a file, so a failing network test can show what the server did.</summary>
public sealed class FileLogger<T>(string path) : ILogger<T>
{
    private readonly Lock _lock = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)} {exception}\n");
        }
    }
}
