using Metal3.ClientGen.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Metal3.ClientGen.Tests;

/// <summary>One daemon (a process, SQLite, simulated BMCs) for every test here (<see cref="DaemonCollection"/>).</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"metal3-clientgen-{Guid.NewGuid():N}");
    private DaemonProcess? _daemon;
    private HttpClient? _http;

    public Metal3Client Client { get; private set; } = null!;
    public string Url => _daemon!.Url;
    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync(_dataDir, null);
        string token = Token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.token"))).Trim();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // The document's apiToken scheme is HTTP bearer: Kiota's bearer provider sends it as such.
        var auth = new BaseBearerTokenAuthenticationProvider(new StaticAccessToken(token));
        Client = new Metal3Client(new HttpClientRequestAdapter(auth, httpClient: _http) { BaseUrl = _daemon.Url });
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
        Directory.Delete(_dataDir, recursive: true);
    }
}
