using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Agent;

/// <summary>
/// The ramdisk agent's calls as plain HTTP, against a daemon whose reconcile loop runs, for hosts whose fake BMC defers to
/// the ramdisk agent (<c>agent=ramdisk</c>). Lookups can come from a chosen source address (the in-process server has
/// none of its own), so that a test can tell the agent from someone else on the provisioning network.
/// </summary>
public sealed class ScriptedAgent(Metal3App app)
{
    public const string AgentAddress = "192.0.2.10";

    private readonly HttpClient _admin = app.Admin();
    private readonly HttpClient _anonymous = app.WithToken(null);

    public HttpClient Admin => _admin;

    public async Task EnrollAsync(string name, string mac, string extra = "")
    {
        var r = await _admin.PostAsync("/api/v1/hosts", Json($$"""
            {"name": "{{name}}", "bootMacAddress": "{{mac}}", "bmc": {"address": "fake://{{name}}?agent=ramdisk"}, "online": true {{extra}}}
            """));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    public Task StateAsync(string name, string state) =>
        Eventually.Until(async () => (string?)(await HostAsync(name))["status"]!["provisioning"]!["state"] == state,
            TimeSpan.FromSeconds(30), async () => $"{state} expected: " + await _admin.GetStringAsync($"/api/v1/hosts/{name}"));

    public async Task<JsonNode> HostAsync(string name) => await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}"));

    public async Task<JsonArray> EventsAsync(string name) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{name}/events?limit=1000")))["items"]!.AsArray();

    /// <summary>
    /// Waits until the daemon has handed the host its <paramref name="kind"/> command (inspect, clean, deploy) and rebooted
    /// it into the agent: that reboot ends any earlier token, so only a lookup after it is the new boot's.
    /// </summary>
    public Task BootedAsync(string name, string kind) =>
        Eventually.Until(async () => (await EventsAsync(name)).Any(e => (string?)e!["reason"] == "AgentCommandStarted"
                && ((string?)e["message"])?.StartsWith(kind + " started", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(30), async () => $"no {kind} command started: {(await EventsAsync(name)).ToJsonString()}");

    /// <summary>A lookup from <paramref name="from"/>: its status, content type and body.</summary>
    public async Task<(int Status, string? ContentType, JsonNode? Body)> LookupAsync(string body, string from = AgentAddress)
    {
        var (response, text) = await LookupResponseAsync(body, from);
        return (response.StatusCode, response.ContentType, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A lookup from <paramref name="from"/>: the whole response (headers too) and its body.</summary>
    public async Task<(HttpResponse Response, string Body)> LookupResponseAsync(string body, string from = AgentAddress)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/api/v1/agent/lookup";
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = bytes.Length;
            c.Request.Body = new MemoryStream(bytes);
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        return (context.Response, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    /// <summary>The agent's lookup, which must get a token.</summary>
    public async Task<(string Name, string Token)> SessionAsync(string mac)
    {
        var (status, _, body) = await LookupAsync($$"""{"macs": ["{{mac}}"]}""");
        Assert.True(status == StatusCodes.Status200OK, $"lookup: {status} {body?.ToJsonString()}");
        return ((string)body!["hostName"]!, (string)body["token"]!);
    }

    public Task<HttpResponseMessage> HeartbeatAsync(string name, string token, string body = "{}") =>
        PostAsync($"/api/v1/agent/hosts/{name}/heartbeat", body, token);

    /// <summary>Heartbeats until the daemon hands out a command (the reconcile loop writes it on its own time).</summary>
    public async Task<JsonNode> NextCommandAsync(string name, string token)
    {
        JsonNode? command = null;
        await Eventually.Until(async () =>
            {
                var r = await HeartbeatAsync(name, token);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                command = (await JsonOf(r))["command"];
                return command is not null;
            }, TimeSpan.FromSeconds(30), () => Task.FromResult("no command came"));
        return command!;
    }

    public async Task ResultAsync(string name, string token, long id, string body)
    {
        var r = await PostAsync($"/api/v1/agent/hosts/{name}/commands/{id}/result", body, token);
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    /// <summary>Looks up, runs the next command (which must be <paramref name="kind"/>) and reports <paramref name="result"/>.</summary>
    public async Task<string> RunAsync(string name, string mac, string kind, string result)
    {
        var (_, token) = await SessionAsync(mac);
        var command = await NextCommandAsync(name, token);
        Assert.Equal(kind, (string?)command["kind"]);
        await ResultAsync(name, token, (long)command["id"]!, result);
        return token;
    }

    public Task<HttpResponseMessage> PostAsync(string url, string body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return _anonymous.SendAsync(request);
    }
}
