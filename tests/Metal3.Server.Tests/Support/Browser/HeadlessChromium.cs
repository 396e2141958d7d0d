using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Metal3.Server.Tests.Support.Browser;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (no Playwright: no driver, no Node.js, no browser
/// download). As root it needs --no-sandbox; the background-networking flags stop it from calling Google's hosts,
/// which this machine's closed network refuses. Each instance has its own temporary profile and is killed by PID.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly int _port;

    private HeadlessChromium(Process process, string profile, int port)
    {
        _process = process;
        _profile = profile;
        _port = port;
    }

    public int Pid => _process.Id;

    public static async Task<HeadlessChromium> StartAsync(int width = 1400, int height = 900)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install the Debian package chromium (listed in .ci/apt-packages)");
        }
        string profile = Path.Combine(Path.GetTempPath(), $"metal3-chromium-{Guid.NewGuid():N}");
        Directory.CreateDirectory(profile);
        var (process, log) = Run.Start(Executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        ]);

        // With port 0 Chromium picks a free port and writes it as the first line of <profile>/DevToolsActivePort.
        string portFile = Path.Combine(profile, "DevToolsActivePort");
        int found = 0;
        try
        {
            await Eventually.Until(() =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {log.All}");
                }
                return File.Exists(portFile) && File.ReadAllLines(portFile) is [var first, ..] && int.TryParse(first, out found) && found > 0;
            }, TimeSpan.FromSeconds(60), () => $"chromium to open its DevTools port: {log.All}", TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new HeadlessChromium(process, profile, found);
    }

    /// <summary>The tab Chromium opened at start, attached over its own WebSocket.</summary>
    public async Task<CdpPage> FirstPageAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{_port}/json/list"))!.AsArray();
        var page = targets.FirstOrDefault(t => (string?)t!["type"] == "page")
            ?? throw new InvalidOperationException($"chromium has no page target: {targets.ToJsonString()}");
        return await CdpPage.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A renderer that was still exiting may hold a file for a moment; the profile is in /tmp.
        }
    }

}
