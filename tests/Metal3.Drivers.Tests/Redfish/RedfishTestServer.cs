using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>
/// A loopback Redfish service (Kestrel on 127.0.0.1, a free port) that serves a mockup tree as captured and applies
/// what the driver's writes mean: sessions, resets that land a little later, boot override PATCHes checked against
/// the allowable values and the ETag, and virtual media insert/eject. Faults are injected with <see cref="Intercept"/>.
/// </summary>
public sealed class RedfishTestServer : IAsyncDisposable
{
    public const string Username = "admin";
    public const string Password = "redfish-test-password";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _sessions = new();
    private int _sessionCounter;
    private int _etagCounter;

    public MockupTree Tree { get; }
    public Uri BaseUri { get; private set; } = null!;
    public int Port => BaseUri.Port;

    /// <summary>How long a reset takes to show in PowerState, as on real BMCs.</summary>
    public TimeSpan PowerDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether POST SessionService/Sessions works (when the tree has a session service at all).</summary>
    public bool SessionsEnabled { get; set; }

    public int MaxSessions { get; set; } = 4;

    /// <summary>Runs first for every request; return true when it wrote the answer itself.</summary>
    public Func<HttpContext, RecordedRequest, Task<bool>>? Intercept { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();
    public IReadOnlyCollection<string> OpenSessions => _sessions.Keys.ToList();

    private RedfishTestServer(MockupTree tree, WebApplication app)
    {
        Tree = tree;
        _app = app;
        SessionsEnabled = tree.Get("/redfish/v1/SessionService") is not null;
    }

    /// <param name="certificate">When given, the server speaks HTTPS with it (for the certificate checks).</param>
    public static async Task<RedfishTestServer> StartAsync(MockupTree tree, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var server = new RedfishTestServer(tree, app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public static async Task<RedfishTestServer> StartAsync(string set) => await StartAsync(MockupTree.Load(set));

    /// <summary>The address an operator would enrol: <c>redfish+http://127.0.0.1:PORT[/redfish/v1/Systems/ID]</c>.</summary>
    public string Address(string? systemPath = null) => $"{(BaseUri.Scheme == "https" ? "redfish+https" : "redfish+http")}://127.0.0.1:{Port}{systemPath ?? ""}";

    public void ClearRequests() => _requests.Clear();

    private async Task HandleAsync(HttpContext context)
    {
        var request = await RecordAsync(context);
        _requests.Enqueue(request);
        if (Intercept is { } intercept && await intercept(context, request)) return;
        string key = MockupTree.Key(request.Path);
        if (key.Length == 0 && request.Method == "GET")
        {
            await WriteResourceAsync(context, Tree.Get("")!);
            return;
        }
        if (request.Method == "POST" && IsSessionsCollection(request.Path))
        {
            await LoginAsync(context, request);
            return;
        }
        if (!IsAuthorized(context))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"test\"";
            await WriteErrorAsync(context, 401, "Base.1.0.NoValidSession", "There is no valid session established with the implementation.");
            return;
        }
        switch (request.Method)
        {
            case "GET":
                if (Tree.Get(request.Path) is { } resource && resource["error"] is null) await WriteResourceAsync(context, resource);
                else await WriteErrorAsync(context, 404, "Base.1.0.ResourceMissingAtURI", $"The resource at the URI {request.Path} was not found.");
                return;
            case "DELETE" when _sessions.Values.Contains(key, StringComparer.OrdinalIgnoreCase):
                foreach (var s in _sessions.Where(s => s.Value.Equals(key, StringComparison.OrdinalIgnoreCase))) _sessions.TryRemove(s.Key, out _);
                context.Response.StatusCode = 204;
                return;
            case "POST" when key.EndsWith("/Actions/ComputerSystem.Reset", StringComparison.OrdinalIgnoreCase):
                await ResetAsync(context, key[..^"/Actions/ComputerSystem.Reset".Length], request.Body);
                return;
            case "POST" when key.EndsWith("/Actions/VirtualMedia.InsertMedia", StringComparison.OrdinalIgnoreCase):
                await MediaAsync(context, key[..^"/Actions/VirtualMedia.InsertMedia".Length], request.Body, insert: true);
                return;
            case "POST" when key.EndsWith("/Actions/VirtualMedia.EjectMedia", StringComparison.OrdinalIgnoreCase):
                await MediaAsync(context, key[..^"/Actions/VirtualMedia.EjectMedia".Length], request.Body, insert: false);
                return;
            case "PATCH":
                await PatchAsync(context, request);
                return;
            default:
                await WriteErrorAsync(context, 405, "Base.1.0.ActionNotSupported", $"{request.Method} {request.Path} is not supported by the test server.");
                return;
        }
    }

    private static async Task<RecordedRequest> RecordAsync(HttpContext context)
    {
        string text = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        JsonNode? body = null;
        if (text.Length > 0)
        {
            try { body = JsonNode.Parse(text); }
            catch (System.Text.Json.JsonException) { body = JsonValue.Create(text); }
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body);
    }

    private bool IsSessionsCollection(string path)
    {
        string? sessionsPath = Tree.Get("")?["Links"]?["Sessions"]?["@odata.id"]?.GetValue<string>();
        return sessionsPath is not null && MockupTree.Key(path).Equals(MockupTree.Key(sessionsPath), StringComparison.OrdinalIgnoreCase);
    }

    private async Task LoginAsync(HttpContext context, RecordedRequest request)
    {
        if (!SessionsEnabled)
        {
            await WriteErrorAsync(context, 404, "Base.1.0.ResourceMissingAtURI", "No session service.");
            return;
        }
        if (request.Body?["UserName"]?.GetValue<string>() != Username || request.Body?["Password"]?.GetValue<string>() != Password)
        {
            await WriteErrorAsync(context, 401, "Base.1.0.NoValidSession", "Invalid username or password.");
            return;
        }
        if (_sessions.Count >= MaxSessions)
        {
            await WriteErrorAsync(context, 503, "Base.1.0.SessionLimitExceeded", "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.");
            return;
        }
        int id = Interlocked.Increment(ref _sessionCounter);
        string token = $"token-{id}-{Guid.NewGuid():N}";
        string location = $"/redfish/v1/SessionService/Sessions/{id}";
        _sessions[token] = MockupTree.Key(location);
        context.Response.StatusCode = 201;
        context.Response.Headers["X-Auth-Token"] = token;
        context.Response.Headers.Location = location;
        await WriteJsonAsync(context, new JsonObject { ["@odata.id"] = location, ["Id"] = id.ToString(), ["UserName"] = Username }, 201);
    }

    /// <summary>Invalidates every session, as a BMC reboot or a session timeout does.</summary>
    public void ExpireSessions() => _sessions.Clear();

    private bool IsAuthorized(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("X-Auth-Token", out var token) && _sessions.ContainsKey(token.ToString())) return true;
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        return context.Request.Headers.Authorization.ToString() == expected;
    }

    private async Task ResetAsync(HttpContext context, string systemKey, JsonNode? body)
    {
        JsonObject? system = Tree.Get(systemKey);
        string? resetType = body?["ResetType"]?.GetValue<string>();
        if (system is null)
        {
            await WriteErrorAsync(context, 404, "Base.1.0.ResourceMissingAtURI", $"no system {systemKey}");
            return;
        }
        var allowed = AllowedResetTypes(system);
        if (resetType is null || (allowed is not null && !allowed.Contains(resetType)))
        {
            await WriteErrorAsync(context, 400, "Base.1.0.ActionParameterValueNotInList", $"The value {resetType} for the parameter ResetType is not in the list of acceptable values.");
            return;
        }
        string? landing = resetType switch
        {
            "On" or "ForceOn" => "On",
            "ForceOff" or "GracefulShutdown" => "Off",
            "PushPowerButton" => system["PowerState"]?.GetValue<string>() == "On" ? "Off" : "On",
            "ForceRestart" or "GracefulRestart" or "PowerCycle" => "On",
            _ => null,
        };
        if (landing is not null)
        {
            _ = Task.Run(async () =>
            {
                await Task.Delay(PowerDelay);
                lock (Tree.Sync) system["PowerState"] = landing;
            });
        }
        context.Response.StatusCode = 204;
    }

    private List<string>? AllowedResetTypes(JsonObject system)
    {
        var action = system["Actions"]?["#ComputerSystem.Reset"];
        if (action?["ResetType@Redfish.AllowableValues"] is JsonArray inline) return inline.Select(v => v!.GetValue<string>()).ToList();
        if (action?["@Redfish.ActionInfo"]?.GetValue<string>() is { } infoPath && Tree.Get(infoPath) is { } info)
        {
            foreach (var p in info["Parameters"]?.AsArray() ?? [])
            {
                if (p?["Name"]?.GetValue<string>() == "ResetType" && p["AllowableValues"] is JsonArray values)
                    return values.Select(v => v!.GetValue<string>()).ToList();
            }
        }
        return null;
    }

    private async Task MediaAsync(HttpContext context, string mediaKey, JsonNode? body, bool insert)
    {
        var media = Tree.Get(mediaKey);
        if (media is null)
        {
            await WriteErrorAsync(context, 404, "Base.1.0.ResourceMissingAtURI", $"no virtual media {mediaKey}");
            return;
        }
        lock (Tree.Sync)
        {
            media["Image"] = insert ? body?["Image"]?.DeepClone() : null;
            media["Inserted"] = insert;
            BumpETag(media);
        }
        context.Response.StatusCode = 204;
    }

    private async Task PatchAsync(HttpContext context, RecordedRequest request)
    {
        var resource = Tree.Get(request.Path);
        if (resource is null || request.Body is not JsonObject patch)
        {
            await WriteErrorAsync(context, resource is null ? 404 : 400, "Base.1.0.MalformedJSON", "Empty or malformed patch.");
            return;
        }
        string? etag = resource["@odata.etag"]?.GetValue<string>();
        if (etag is not null && request.Header("If-Match") is { } ifMatch && ifMatch != etag)
        {
            await WriteErrorAsync(context, 412, "Base.1.0.PreconditionFailed", "The ETag supplied did not match the ETag required to change this resource.");
            return;
        }
        string type = resource["@odata.type"]?.GetValue<string>() ?? "";
        if (type.Contains("ComputerSystem", StringComparison.Ordinal) && patch["Boot"] is JsonObject boot)
        {
            var current = resource["Boot"] as JsonObject ?? new JsonObject();
            foreach (var (name, value) in boot)
            {
                string v = value?.GetValue<string>() ?? "";
                if (current[$"{name}@Redfish.AllowableValues"] is JsonArray allowed && !allowed.Any(a => a?.GetValue<string>() == v))
                {
                    await WriteErrorAsync(context, 400, "Base.1.0.PropertyValueNotInList", $"The value {v} for the property {name} is not in the list of acceptable values.");
                    return;
                }
            }
            lock (Tree.Sync)
            {
                foreach (var (name, value) in boot) current[name] = value?.DeepClone();
                resource["Boot"] = current;
                BumpETag(resource);
            }
            context.Response.StatusCode = 204;
            return;
        }
        if (type.Contains("VirtualMedia", StringComparison.Ordinal) && (patch.ContainsKey("Image") || patch.ContainsKey("Inserted")))
        {
            lock (Tree.Sync)
            {
                if (patch.ContainsKey("Image")) resource["Image"] = patch["Image"]?.DeepClone();
                if (patch["Inserted"] is { } inserted) resource["Inserted"] = inserted.DeepClone();
                BumpETag(resource);
            }
            context.Response.StatusCode = 204;
            return;
        }
        await WriteErrorAsync(context, 400, "Base.1.0.PropertyNotWritable", $"The test server does not apply this PATCH to {request.Path}.");
    }

    private void BumpETag(JsonObject resource)
    {
        if (resource["@odata.etag"]?.GetValue<string>() is not { } old) return;
        int n = Interlocked.Increment(ref _etagCounter);
        resource["@odata.etag"] = old.StartsWith("W/", StringComparison.Ordinal) ? $"W/\"test-{n}\"" : $"\"test-{n}\"";
    }

    private Task WriteResourceAsync(HttpContext context, JsonObject resource)
    {
        string json;
        string? etag;
        lock (Tree.Sync)
        {
            json = resource.ToJsonString();
            etag = resource["@odata.etag"]?.GetValue<string>();
        }
        if (etag is not null) context.Response.Headers.ETag = etag;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public static Task WriteJsonAsync(HttpContext context, JsonNode body, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string messageId, string message) =>
        WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = messageId,
                ["message"] = message,
                ["@Message.ExtendedInfo"] = new JsonArray(new JsonObject { ["MessageId"] = messageId, ["Message"] = message }),
            },
        }, status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
