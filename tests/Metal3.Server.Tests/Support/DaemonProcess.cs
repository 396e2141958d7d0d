using System.Diagnostics;
using System.Net.Http.Headers;

namespace Metal3.Server.Tests.Support;

/// <summary>
/// The daemon as a real process (<c>dotnet Metal3.Server.dll</c>), for what an in-process host cannot show: SIGKILL
/// at any moment, several daemons at once. Its output goes to a log file beside its data directory.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process process;

    private DaemonProcess(Process process, string url, string dataDir, string log)
    {
        this.process = process;
        Url = url;
        DataDir = dataDir;
        LogPath = log;
    }

    public string Url { get; }
    public string DataDir { get; }
    public string LogPath { get; }
    public int Pid => process.Id;

    public static async Task<DaemonProcess> StartAsync(string dataDir, string? postgres, params string[] extra)
    {
        string dll = ServerDll();
        int port = PostgresServer.FreePort();
        string url = $"http://127.0.0.1:{port}";
        Directory.CreateDirectory(dataDir);
        string log = Path.Combine(dataDir, $"daemon-{port}.log");
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { dll, "--urls", url, "--Metal3:DataDir", dataDir })
        {
            psi.ArgumentList.Add(a);
        }
        if (postgres is not null)
        {
            foreach (string a in new[] { "--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3", postgres })
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (string a in extra)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var daemon = new DaemonProcess(process, url, dataDir, log);
        await daemon.WaitReadyAsync();
        return daemon;
    }

    /// <summary>
    /// A run that exits by itself (<c>--migrate-only</c>): in <paramref name="workingDirectory"/>, so no
    /// <c>appsettings.json</c> is read unasked, with <paramref name="environment"/> added to the test's.
    /// </summary>
    public static async Task<DaemonRun> RunToExitAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(ServerDll());
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the daemon {string.Join(' ', args)} did not exit within 2 minutes:\n{await stdout}\n{await stderr}");
        }
        return new DaemonRun(process.ExitCode, await stdout, await stderr);
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        string token = File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Kill();
        }
        process.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with {process.ExitCode}: {File.ReadAllText(LogPath)}");
            }
            try
            {
                if ((await http.GetAsync(Url + "/readyz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the daemon at {Url} was not ready within 60 s: {File.ReadAllText(LogPath)}");
    }

    /// <summary>The server's build output, next to this test assembly's configuration (Debug or Release).</summary>
    public static string ServerDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = dir.Parent!.Name;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metal3.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("Metal3.sln not found above the test directory");
        }
        string dll = Path.Combine(dir.FullName, "Metal3.Server", "bin", configuration, "net10.0", "Metal3.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build Metal3.Server first", dll);
    }
}

/// <summary>What one run of the daemon that exits by itself printed, and how it exited.</summary>
public sealed record DaemonRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
