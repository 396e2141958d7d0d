using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Metal3.Cli.Tests.Support;

/// <summary>
/// A loopback HTTP peer whose <c>GET /api/v1/hosts</c> answers as the test scripts it: for the parts of the API
/// contract the real daemon cannot be made to show on demand (a list split into pages, a stream that ends, a 410).
/// </summary>
public sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedPeer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static Task<ScriptedPeer> StartAsync(RequestDelegate hosts) => StartAsync(app => app.MapGet("/api/v1/hosts", hosts));

    /// <summary>A peer with the routes <paramref name="map"/> adds (a host's GET and PATCH, for a wait).</summary>
    public static async Task<ScriptedPeer> StartAsync(Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ScriptedPeer(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
