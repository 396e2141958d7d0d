using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Metal3.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Metal3.Server.Tests.Support;

/// <summary>
/// The real daemon (Program, the whole HTTP pipeline) over a data directory and database the test chooses.
/// Two instances over the same directory and database are a restart.
/// </summary>
public sealed class Metal3App : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    /// <param name="jobs">Whether the reconcile loop runs. API tests leave it off, so that what they assert about a
    /// host is what the API did, not what the state machine did since.</param>
    public Metal3App(StoreKind store, string dataDir, string? postgresConnectionString, IDictionary<string, string?>? extra = null,
        bool jobs = false)
    {
        Store = store;
        DataDir = dataDir;
        settings = new Dictionary<string, string?>
        {
            ["Metal3:DataDir"] = dataDir,
            ["Metal3:Database:Provider"] = store == StoreKind.Postgres ? "postgres" : "sqlite",
            ["ConnectionStrings:Metal3"] = postgresConnectionString,
            ["Logging:LogLevel:Default"] = "Debug",
            ["Metal3:Jobs:Enabled"] = jobs ? "true" : "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
    }

    public StoreKind Store { get; }
    public string DataDir { get; }

    /// <summary>Every log line the daemon wrote, formatted with its arguments, to check that secrets never appear.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    /// <summary>The token the first start wrote (starting the daemon if it is not running yet).</summary>
    public string AdminToken
    {
        get
        {
            _ = Services;
            return File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
        }
    }

    public HttpClient Admin() => WithToken(AdminToken);

    public HttpClient WithToken(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>With METAL3_TEST_LOGS=dir set, each daemon's log is written there when it stops (for debugging).</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Environment.GetEnvironmentVariable("METAL3_TEST_LOGS") is { Length: > 0 } logDir)
        {
            Directory.CreateDirectory(logDir);
            await File.WriteAllLinesAsync(Path.Combine(logDir, $"{Path.GetFileName(DataDir)}.log"), Logs);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(k, v);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
    }
}

public enum StoreKind { Sqlite, Postgres }

/// <summary>A fresh data directory and database for one test class, on either store.</summary>
public static class TestStores
{
    public static async Task<(string DataDir, string? ConnectionString)> NewAsync(StoreKind kind, string name)
    {
        string dataDir = Path.Combine(Path.GetTempPath(), $"metal3-test-{name}-{Guid.NewGuid():N}");
        if (kind == StoreKind.Sqlite)
        {
            return (dataDir, null);
        }
        var pg = await PostgresServer.GetAsync();
        return (dataDir, await pg.CreateDatabaseAsync(name));
    }
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            string structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
