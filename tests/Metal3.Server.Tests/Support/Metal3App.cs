using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Metal3.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metal3.Server.Tests.Support;

/// <summary>
/// The real daemon (Program, the whole HTTP pipeline) over a data directory and database the test chooses.
/// Two instances over the same directory and database are a restart.
/// </summary>
public sealed class Metal3App : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <param name="jobs">Whether the reconcile loop runs. API tests leave it off, so that what they assert about a
    /// host is what the API did, not what the state machine did since.</param>
    public Metal3App(StoreKind store, string dataDir, string? postgresConnectionString, IDictionary<string, string?>? extra = null,
        bool jobs = false)
    {
        Store = store;
        DataDir = dataDir;
        _settings = new Dictionary<string, string?>
        {
            ["Metal3:DataDir"] = dataDir,
            ["Metal3:Database:Provider"] = store == StoreKind.Postgres ? "postgres" : "sqlite",
            ["ConnectionStrings:Metal3"] = postgresConnectionString,
            ["Logging:LogLevel:Default"] = "Debug",
            ["Metal3:Jobs:Enabled"] = jobs ? "true" : "false",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public StoreKind Store { get; }

    /// <summary>The daemon's clock, when a test moves time itself (a <c>FakeTimeProvider</c>); the system clock otherwise.</summary>
    public TimeProvider? Time { get; init; }
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
        foreach (var (k, v) in _settings.Where(s => s.Value is not null))
        {
            builder.UseSetting(k, v);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        if (Time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }
    }
}
