using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Metal3.Cli.Connection;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>The daemon's REST API (DESIGN.md "The host resource") as the CLI uses it: JSON in, JSON out, problems thrown.</summary>
public sealed partial class Metal3Api : IDisposable
{
    private const string MergePatchType = "application/merge-patch+json";
    private readonly HttpClient _http;

    public Metal3Api(ConnectionSettings settings)
    {
        Settings = settings;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = settings.Url,
            // Watches and waits run for as long as the user likes; single requests get their own deadline below.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("metal3ctl", "1.0"));
    }

    public ConnectionSettings Settings { get; }

    public static TimeSpan RequestTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Every host that matches, following <c>continue</c> until the last page.</summary>
    public async Task<HostPage> ListHostsAsync(string? labelSelector, string? state, CancellationToken ct)
    {
        var items = new List<Received<HostResponse>>();
        string? next = null;
        string? resourceVersion = null;
        do
        {
            var query = new List<string>();
            Add(query, "labelSelector", labelSelector);
            Add(query, "state", state);
            Add(query, "continue", next);
            var page = Typed((await SendAsync(HttpMethod.Get, "/api/v1/hosts" + QueryString(query), null, null, null, ct)).Object,
                DaemonJson.Shape<HostListResponse>(), "hosts");
            items.AddRange(Items(page.Value.Items, page.Json));
            next = page.Value.Continue;
            resourceVersion ??= page.Value.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(next));
        return new HostPage(items, resourceVersion);
    }

    public async Task<Received<HostResponse>> GetHostAsync(string name, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Get, HostPath(name), null, null, null, ct));

    /// <summary>The host, or null when there is none (404); other problems are thrown.</summary>
    public async Task<Received<HostResponse>?> FindHostAsync(string name, CancellationToken ct)
    {
        try
        {
            return await GetHostAsync(name, ct);
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Received<HostResponse>> EnrollAsync(JsonObject host, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Post, "/api/v1/hosts", host, "application/json", null, ct));

    /// <summary>PUT, conditional on <paramref name="resourceVersion"/>: 412 when someone changed the host in between.</summary>
    public async Task<Received<HostResponse>> ReplaceAsync(string name, JsonObject host, string resourceVersion, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Put, HostPath(name), host, "application/json", $"\"{resourceVersion}\"", ct));

    public async Task<Received<HostResponse>> PatchAsync(string name, JsonObject mergePatch, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Patch, HostPath(name), mergePatch, MergePatchType, null, ct));

    public async Task<Received<HostResponse>> DeleteAsync(string name, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Delete, HostPath(name), null, null, null, ct));

    public async Task<Received<HostResponse>> ActionAsync(string name, string action, CancellationToken ct) =>
        Host(await SendAsync(HttpMethod.Post, HostPath(name) + "/actions/" + action, null, null, null, ct));

    public async Task<IReadOnlyList<Received<HostEventResponse>>> EventsAsync(string name, CancellationToken ct)
    {
        var events = new List<Received<HostEventResponse>>();
        string? next = null;
        do
        {
            var page = Typed((await SendAsync(HttpMethod.Get, HostPath(name) + "/events" + QueryString(Add([], "continue", next)),
                null, null, null, ct)).Object, DaemonJson.Shape<ListResponse<HostEventResponse>>(), "events");
            events.AddRange(Items(page.Value.Items, page.Json));
            next = page.Value.Continue;
        }
        while (!string.IsNullOrEmpty(next));
        return events;
    }

    public async Task<Received<TokenResponse>> CreateTokenAsync(string name, string role, DateTimeOffset? expiresAt, CancellationToken ct) =>
        Typed((await SendAsync(HttpMethod.Post, "/api/v1/tokens",
            JsonSerializer.SerializeToNode(new TokenRequest(name, role, expiresAt), ApiJsonContext.Default.TokenRequest),
            "application/json", null, ct)).Object, DaemonJson.Shape<TokenResponse>(), "tokens");

    public async Task RevokeTokenAsync(string name, CancellationToken ct) =>
        await SendAsync(HttpMethod.Delete, "/api/v1/tokens/" + Uri.EscapeDataString(name), null, null, null, ct);

    public async Task<IReadOnlyList<Received<TokenResponse>>> ListTokensAsync(CancellationToken ct)
    {
        var page = Typed((await SendAsync(HttpMethod.Get, "/api/v1/tokens", null, null, null, ct)).Object,
            DaemonJson.Shape<ListResponse<TokenResponse>>(), "tokens");
        return Items(page.Value.Items, page.Json);
    }

    /// <summary>
    /// The watch stream from <paramref name="resourceVersion"/> (null: first an ADDED per existing host). Ends when the
    /// server closes the stream. A 410 (the version is too old) is thrown as a problem with status Gone.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> WatchAsync(string? labelSelector, string? resourceVersion,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new List<string> { "watch=true" };
        Add(query, "resourceVersion", resourceVersion);
        Add(query, "labelSelector", labelSelector);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hosts" + QueryString(query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Unreachable(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct));
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(ApiProblem.From(response.StatusCode, await response.Content.ReadAsStringAsync(ct)));
        }
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new CliException(
                $"the daemon at {Settings.Url} does not offer the watch API (it answered {response.Content.Headers.ContentType?.MediaType ?? "no content type"}); upgrade it");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var e in ServerSentEvents.ReadAsync(stream, ct))
        {
            yield return e;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record Reply(JsonNode? Body)
    {
        public JsonObject Object => Body as JsonObject ?? new JsonObject();
    }

    private async Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body, string? contentType, string? ifMatch,
        CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        try
        {
            using var response = await Unreachable(() => _http.SendAsync(request, timeout.Token));
            string text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiProblemException(ApiProblem.From(response.StatusCode, text));
            }
            try
            {
                return new Reply(string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
            }
            catch (JsonException e)
            {
                throw new CliException($"the daemon at {Settings.Url} answered {path} with something that is not JSON: {e.Message}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the daemon at {Settings.Url} did not answer {method} {path} within {RequestTimeout.TotalSeconds:0} s",
                ExitCodes.Unreachable);
        }
    }

    private async Task<HttpResponseMessage> Unreachable(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            string why = e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError when e.InnerException is System.Net.Sockets.SocketException
                    { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } => "connection refused",
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                HttpRequestError.SecureConnectionError => "the TLS handshake failed",
                _ => e.Message,
            };
            throw new CliException(
                $"cannot reach the metal3 daemon at {Settings.Url} ({why}). Is it running? " +
                $"Point metal3ctl at it with --url or {ConnectionSettings.UrlVariable} (url from {Settings.UrlSource}).",
                ExitCodes.Unreachable, e);
        }
    }

    private Received<HostResponse> Host(Reply reply) => Typed(reply.Object, DaemonJson.Shape<HostResponse>(), "hosts");

    private Received<T> Typed<T>(JsonObject json, JsonTypeInfo<T> type, string path)
    {
        try
        {
            return new Received<T>(json.Deserialize(type) ?? throw new JsonException("null"), json);
        }
        catch (JsonException e)
        {
            throw new CliException($"the daemon at {Settings.Url} answered {path} with an object this metal3ctl cannot read: {e.Message}");
        }
    }

    /// <summary>
    /// A page's items, each typed (read with the page) beside its own JSON: the JSON is detached from the page, so that
    /// -o json|yaml can put it in a list of its own.
    /// </summary>
    private static List<Received<T>> Items<T>(IReadOnlyList<T>? typed, JsonObject page)
    {
        var json = page["items"] as JsonArray ?? [];
        var items = new List<Received<T>>();
        for (int i = 0; i < json.Count && i < (typed?.Count ?? 0); i++)
        {
            if (typed![i] is { } value && json[i] is JsonObject item)
            {
                items.Add(new Received<T>(value, (JsonObject)item.DeepClone()));
            }
        }
        return items;
    }

    private static string HostPath(string name) => "/api/v1/hosts/" + Uri.EscapeDataString(name);

    private static List<string> Add(List<string> query, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add(key + "=" + Uri.EscapeDataString(value));
        }
        return query;
    }

    private static string QueryString(List<string> query) => query.Count == 0 ? "" : "?" + string.Join('&', query);
}
