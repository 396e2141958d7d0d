using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;

namespace Metal3.Cli.Tests.Support;

/// <summary>
/// One real daemon (SQLite, reconcile jobs on) shared by the CLI tests of a collection; each test uses host names of its
/// own, so the tests do not see each other's hosts unless they list everything.
/// </summary>
public sealed class CliDaemon : IAsyncLifetime
{
    private DaemonProcess? _daemon;

    public DaemonProcess Daemon => _daemon ?? throw new InvalidOperationException("not started");

    public string Url => Daemon.Url;

    public string AdminToken => File.ReadAllText(Path.Combine(Daemon.DataDir, "admin.token")).Trim();

    /// <summary>metal3ctl pointed at this daemon with its admin token.</summary>
    public Metal3CtlProcess Cli() => new(Url, AdminToken);

    public HttpClient Api() => Daemon.Client();

    public async Task<JsonObject> GetHostAsync(string name)
    {
        using var api = Api();
        return (await api.GetFromJsonAsync<JsonObject>($"/api/v1/hosts/{name}"))!;
    }

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync(Metal3CtlProcess.NewDirectory("daemon"), postgres: null,
            "--Logging:LogLevel:Default", "Warning");
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }
    }
}
