using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Metal3.E2E.Lab;

/// <summary>
/// The daemon inside the lab namespace, as on a provisioning node: DHCP (full mode), TFTP and the provisioning listener
/// on the lab bridge. Its API listens on a Unix socket, the one door between the test (outside the namespace) and the
/// daemon (inside it) that touches no interface. PostgreSQL is reached the same way, through its socket directory.
/// </summary>
public sealed class LabDaemon : IAsyncDisposable
{
    public const string ProvisioningUrl = "http://198.18.0.1:8080";

    private readonly Process process;

    private LabDaemon(Process process, string dataDir, string socket, string log)
    {
        this.process = process;
        DataDir = dataDir;
        Socket = socket;
        LogPath = log;
    }

    public string DataDir { get; }
    public string Socket { get; }
    public string LogPath { get; }
    public bool Exited => process.HasExited;

    public static async Task<LabDaemon> StartAsync(string ns, string dataDir, string postgres, IEnumerable<string> settings)
    {
        Directory.CreateDirectory(dataDir);
        string socket = Path.Combine(dataDir, "api.sock");
        File.Delete(socket);
        string log = Path.Combine(dataDir, "daemon.log");
        var (process, _) = Run.Start("ip", ["netns", "exec", ns, "dotnet", Repository.ServerDll, "--urls", $"http://unix:{socket}",
            "--Metal3:DataDir", dataDir, "--Metal3:Database:Provider", "postgres", "--ConnectionStrings:Metal3", postgres, .. settings], log);
        var daemon = new LabDaemon(process, dataDir, socket, log);
        await daemon.WaitReadyAsync();
        return daemon;
    }

    /// <summary>An HTTP client for the API, over the Unix socket, with the admin token the first start wrote.</summary>
    public HttpClient Client()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri("http://metal3.lab"), Timeout = TimeSpan.FromSeconds(30) };
        string token = File.ReadAllText(Path.Combine(DataDir, "admin.token")).Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public string LogTail(int lines = 60) => File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "";

    /// <summary>SIGKILL to the daemon itself (not to `ip netns exec`, which has exec'd into it anyway).</summary>
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
        await Eventually.Until(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the daemon exited with {process.ExitCode}:\n{LogTail()}");
            }
            if (!File.Exists(Socket) || !File.Exists(Path.Combine(DataDir, "admin.token")))
            {
                return false;
            }
            try
            {
                using var client = Client();
                return (await client.GetAsync("/readyz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), () => Task.FromResult($"the lab daemon to be ready:\n{LogTail()}"), TimeSpan.FromMilliseconds(300));
    }
}
