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
        int port = FreePort.Tcp();
        string url = $"http://127.0.0.1:{port}";
        Directory.CreateDirectory(dataDir);
        string log = Path.Combine(dataDir, $"daemon-{port}.log");
        string[] database = postgres is null ? [] : ["--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3", postgres];
        var (process, _) = Run.Start("dotnet", [Repository.ServerDll, "--urls", url, "--Metal3:DataDir", dataDir, .. database, .. extra], log);
        var daemon = new DaemonProcess(process, url, dataDir, log);
        await daemon.WaitReadyAsync();
        return daemon;
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
        await Eventually.Until(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with {process.ExitCode}: {File.ReadAllText(LogPath)}");
            }
            try
            {
                return (await http.GetAsync(Url + "/readyz")).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => Task.FromResult($"the daemon at {Url} to be ready: {File.ReadAllText(LogPath)}"));
    }
}
