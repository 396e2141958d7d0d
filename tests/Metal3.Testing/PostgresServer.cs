using System.Diagnostics;
using Npgsql;

namespace Metal3.Testing;

/// <summary>
/// A real PostgreSQL server for the tests: <c>initdb</c> + <c>pg_ctl</c> in a temporary directory on a free loopback
/// port, started once per test process and shared by every test in it (each takes a database of its own). As root it
/// runs the server as the <c>postgres</c> user (initdb refuses root). When PostgreSQL cannot start, every test that
/// needs it fails with the reason: nothing is skipped.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private readonly string _dataDir;
    private readonly string _binDir;
    private readonly string _serverOptions;
    private readonly bool _asRoot;
    private int _nextDatabase;

    private PostgresServer(string binDir, string dataDir, int port, string serverOptions, bool asRoot)
    {
        _binDir = binDir;
        _dataDir = dataDir;
        Port = port;
        _serverOptions = serverOptions;
        _asRoot = asRoot;
    }

    public int Port { get; }

    /// <summary>The server's Unix socket directory: the way in from a network namespace, whose loopback is not ours.</summary>
    public string SocketDirectory => _dataDir;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>
    /// A server of the caller's own, for a test that stops and starts it (a database outage): the shared one must stay
    /// up for every other test. Dispose it to stop it and remove its files.
    /// </summary>
    public static Task<PostgresServer> StartPrivateAsync() => StartAsync();

    /// <summary><c>pg_ctl stop -m immediate</c>: every connection drops at once, as when the database machine loses power.</summary>
    public Task StopImmediatelyAsync() =>
        RunAsync(Path.Combine(_binDir, "pg_ctl"), ["stop", "-m", "immediate", "-D", Path.Combine(_dataDir, "pgdata")], _asRoot);

    /// <summary>Starts a stopped server again on the same port and data; returns when it accepts connections.</summary>
    public Task StartAgainAsync() =>
        RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["start", "-w", "-t", "60", "-D", Path.Combine(_dataDir, "pgdata"), "-l", Path.Combine(_dataDir, "server.log"), "-o", _serverOptions], _asRoot);

    public async ValueTask DisposeAsync()
    {
        await Task.Run(() => Stop(_asRoot));
    }

    /// <summary>A new, empty database (for one test class, or one test); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        string name = $"{prefix}_{Interlocked.Increment(ref _nextDatabase)}_{Environment.ProcessId}".ToLowerInvariant();
        await using var conn = new NpgsqlConnection(AdminConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=50";
    }

    private static async Task<PostgresServer> StartAsync()
    {
        string binDir = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install the Debian package 'postgresql' " +
            "(./test.sh does it when run as root)");
        string dataDir = Path.Combine(Path.GetTempPath(), $"metal3-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        bool asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:postgres", dataDir], asPostgres: false);
        }
        string pgdata = Path.Combine(dataDir, "pgdata");
        await RunAsync(Path.Combine(binDir, "initdb"), ["-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], asRoot);
        int port = FreePort.Tcp();
        // Durability settings are off: the tests need a real SQL engine, not crash safety of the test server itself.
        string serverOptions = $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c max_connections=300 " +
                               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunAsync(Path.Combine(binDir, "pg_ctl"),
            ["start", "-w", "-t", "60", "-D", pgdata, "-l", Path.Combine(dataDir, "server.log"), "-o", serverOptions], asRoot);
        var server = new PostgresServer(binDir, dataDir, port, serverOptions, asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
        StartReaper(binDir, pgdata, dataDir, asRoot);
        return server;
    }

    private void Stop(bool asRoot)
    {
        try
        {
            // Fails harmlessly when the server is already stopped (a test stopped it); the files go either way.
            RunAsync(Path.Combine(_binDir, "pg_ctl"), ["stop", "-m", "immediate", "-D", Path.Combine(_dataDir, "pgdata")], asRoot)
                .Wait(TimeSpan.FromSeconds(20));
        }
        catch (AggregateException)
        {
        }
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort at process exit; the directory is in the temp folder.
        }
    }

    /// <summary>
    /// The test host does not always get to run its exit handlers (the runner may kill it), and pg_ctl's server outlives
    /// it. A detached shell waits for this process to end, then stops the server and removes its directory.
    /// </summary>
    private static void StartReaper(string binDir, string pgdata, string dataDir, bool asRoot)
    {
        string stop = (asRoot ? "runuser -u postgres -- " : "") + $"'{Path.Combine(binDir, "pg_ctl")}' stop -m immediate -D '{pgdata}'";
        string script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {stop} >/dev/null 2>&1; rm -rf '{dataDir}'";
        // Its own pipes, not the test host's: a runner waiting for the host's output to end must not wait for this.
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (string a in new[] { "sh", "-c", script })
        {
            psi.ArgumentList.Add(a);
        }
        Process.Start(psi)?.Dispose();
    }

    private static string? FindBinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out int v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static async Task RunAsync(string program, IReadOnlyList<string> args, bool asPostgres)
    {
        var result = asPostgres
            ? await Run.Async("runuser", ["-u", "postgres", "--", program, .. args], TimeSpan.FromSeconds(90))
            : await Run.Async(program, args, TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
        }
    }
}
