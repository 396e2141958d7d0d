using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Metal3.Server.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metal3.Server.Tests.Dashboard;

/// <summary>
/// The dashboard's real files, in front of a hosts API whose list and watch answers the test scripts: what the watch
/// contract allows (keepalives, events split across reads, the stream ending, 410 Gone) happens when the test says,
/// and a daemon without the watch API (which answers watch=true with the plain list) can be played too.
/// </summary>
public sealed class ScriptedWatchServer : IAsyncDisposable
{
    public const string Token = "m3_scripted-test-token";

    private readonly WebApplication _app;

    private ScriptedWatchServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    private readonly ConcurrentQueue<(string ResourceVersion, JsonObject[] Items)> _listScript = new();

    /// <summary>Whether watch=true is answered with a stream (false plays a daemon from before the watch API).</summary>
    public bool WatchSupported { get; set; } = true;

    /// <summary>The resourceVersion of every watch request, in order.</summary>
    public ConcurrentQueue<string?> WatchedFrom { get; } = new();

    public int Lists => _lists;

    /// <summary>Per watch request in order: the raw chunks to write; the stream ends when the channel completes. A null
    /// entry, or none waiting, is answered 410 Gone.</summary>
    public ConcurrentQueue<Channel<string>?> Streams { get; } = new();

    /// <summary>Lists to answer, in order: every list after the first moves on to the next one if there is one, and the
    /// last one is repeated.</summary>
    public void ThenList(string resourceVersion, params JsonObject[] items) => _listScript.Enqueue((resourceVersion, items));

    private int _lists;

    public static async Task<ScriptedWatchServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<DashboardAssets>();
        var app = builder.Build();
        ScriptedWatchServer? self = null;
        app.MapDashboard();
        app.MapGet("/api/v1/hosts", (HttpContext http) => self!.HostsAsync(http));
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new ScriptedWatchServer(app, url);
        return self;
    }

    public static JsonObject Host(string name, string state) => new()
    {
        ["name"] = name,
        ["online"] = true,
        ["bmc"] = new JsonObject { ["address"] = $"fake://{name}" },
        ["resourceVersion"] = "1",
        ["createdAt"] = DateTimeOffset.UtcNow.ToString("O"),
        ["status"] = new JsonObject
        {
            ["provisioning"] = new JsonObject { ["state"] = state },
            ["operationalStatus"] = "OK",
            ["poweredOn"] = true,
        },
    };

    /// <summary>One event as the watch API writes it.</summary>
    public static string Event(long id, string type, JsonObject host) =>
        $"id: {id}\nevent: {type}\ndata: {new JsonObject { ["type"] = type, ["object"] = host.DeepClone() }.ToJsonString()}\n\n";

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in Streams)
        {
            stream?.Writer.TryComplete();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HostsAsync(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (http.Request.Query["watch"] == "true" && WatchSupported)
        {
            WatchedFrom.Enqueue(http.Request.Query["resourceVersion"]);
            if (!Streams.TryDequeue(out var script) || script is null)
            {
                http.Response.StatusCode = StatusCodes.Status410Gone;
                return;
            }
            http.Response.ContentType = "text/event-stream";
            await http.Response.Body.FlushAsync();
            await foreach (string chunk in script.Reader.ReadAllAsync(http.RequestAborted))
            {
                await http.Response.WriteAsync(chunk);
                await http.Response.Body.FlushAsync();
            }
            return;
        }
        Interlocked.Increment(ref _lists);
        // Move on to the next scripted list once the previous one has been answered.
        if (_listScript.Count > 1 && Lists > 1)
        {
            _listScript.TryDequeue(out _);
        }
        if (!_listScript.TryPeek(out var answer))
        {
            answer = ("1", []);
        }
        var (version, items) = answer;
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
            ["continue"] = null,
            ["resourceVersion"] = version,
        });
    }
}
