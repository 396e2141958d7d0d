using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Metal3.Testing;

/// <summary>
/// The daemon as a real process (<c>dotnet Metal3.Server.dll</c>), for what an in-process host cannot show: SIGKILL
/// at any moment, several daemons at once, DHCP and TFTP on a lab network. Started, it has answered /readyz.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output;

    private DaemonProcess(Process process, ProcessOutput output, string url, string? socket, string dataDir, string log)
    {
        _process = process;
        _output = output;
        Url = url;
        Socket = socket;
        DataDir = dataDir;
        LogPath = log;
    }

    /// <summary>The API's base address (a placeholder host when it listens on <see cref="Socket"/>).</summary>
    public string Url { get; }

    /// <summary>The API's Unix socket, or null when it listens on a loopback port.</summary>
    public string? Socket { get; }

    public string DataDir { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;
    public bool Exited => _process.HasExited;

    /// <summary>SQLite in <paramref name="dataDir"/> unless <paramref name="postgres"/>, on a free loopback port.</summary>
    /// <summary>
    /// A run that exits by itself (<c>--migrate-only</c>): in <paramref name="workingDirectory"/>, so no
    /// <c>appsettings.json</c> is read unasked, with <paramref name="environment"/> added to the test's.
    /// </summary>
    public static Task<RunResult> RunToExitAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var start = Run.StartInfo("dotnet", [Repository.ServerDll, .. args]);
        start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Run.Async(start, TimeSpan.FromMinutes(2));
    }

    public static Task<DaemonProcess> StartAsync(string dataDir, string? postgres, params string[] settings) =>
        StartAsync(new DaemonOptions(dataDir) { Postgres = postgres, Settings = settings });

    public static async Task<DaemonProcess> StartAsync(DaemonOptions options)
    {
        Directory.CreateDirectory(options.DataDir);
        string? socket = options.UnixSocket || options.NetworkNamespace is not null ? Path.Combine(options.DataDir, "api.sock") : null;
        string url, listen;
        if (socket is not null)
        {
            File.Delete(socket);
            (url, listen) = ("http://metal3.test", $"http://unix:{socket}");
        }
        else
        {
            url = listen = $"http://127.0.0.1:{FreePort.Tcp()}";
        }
        string log = options.LogFile ?? Path.Combine(options.DataDir, "daemon.log");
        string[] inNamespace = options.NetworkNamespace is { } ns ? ["ip", "netns", "exec", ns] : [];
        string[] database = options.Postgres is { } postgres ? ["--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3", postgres] : [];
        string[] program = options.Program is { } executable ? [executable] : ["dotnet", Repository.ServerDll];
        string[] command = [.. inNamespace, .. program, "--urls", listen, "--Metal3:DataDir", options.DataDir, .. database, .. options.Settings];
        var start = Run.StartInfo(command[0], command[1..]);
        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }
        var (process, output) = Run.Start(start, log);
        var daemon = new DaemonProcess(process, output, url, socket, options.DataDir, log);
        await daemon.WaitReadyAsync(options.ReadyWithin);
        return daemon;
    }

    /// <summary>An HTTP client for the API with the admin token the first start wrote.</summary>
    public HttpClient Client()
    {
        var client = Anonymous(TimeSpan.FromSeconds(30));
        string token = File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Everything the daemon printed so far.</summary>
    public string Log()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public string LogTail(int lines = 60) => File.Exists(LogPath) ? string.Join('\n', Log().Split('\n').TakeLast(lines)) : "";

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power. In a namespace it reaches the daemon
    /// itself (<c>ip netns exec</c> has exec'd into it anyway).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>
    /// SIGTERM, as systemd stops a service, and waits up to <paramref name="within"/> for the process to exit; returns
    /// how long it took (the deadline passed: <see cref="TimeoutException"/>).
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var kill = await Run.Async("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed: {kill.Stderr}");
        }
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the daemon did not exit within {within} of SIGTERM:\n{LogTail()}");
        }
        return clock.Elapsed;
    }

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
        await Task.CompletedTask;
    }

    private HttpClient Anonymous(TimeSpan timeout)
    {
        if (Socket is null)
        {
            return new HttpClient { BaseAddress = new Uri(Url), Timeout = timeout };
        }
        var overSocket = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(overSocket) { BaseAddress = new Uri(Url), Timeout = timeout };
    }

    private async Task WaitReadyAsync(TimeSpan within)
    {
        using var http = Anonymous(TimeSpan.FromSeconds(2));
        await Eventually.Until(async () =>
        {
            if (_process.HasExited)
            {
                // Its last words (why it stopped) may still be on their way to the log.
                await _output.Completion.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw new InvalidOperationException($"the daemon exited with {_process.ExitCode}:\n{Log()}");
            }
            try
            {
                return (await http.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException)
            {
                return false;
            }
        }, within, () => Task.FromResult($"the daemon at {Socket ?? Url} to be ready:\n{LogTail()}"));
    }
}
