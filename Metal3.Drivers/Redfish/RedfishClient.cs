using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// The transport to one BMC: authentication (session, else basic), deadlines, retries and a cap on parallel requests.
/// Every failure comes back as a <see cref="BmcResult"/>; only the caller's own cancellation throws.
/// </summary>
internal sealed partial class RedfishClient(HttpClient http, BmcTarget target, RedfishOptions options, ILogger log) : IAsyncDisposable
{
    public const string ServiceRootPath = "/redfish/v1/";

    private readonly SemaphoreSlim _gate = new(Math.Max(1, options.MaxConcurrentRequestsPerBmc));
    private readonly SemaphoreSlim _loginLock = new(1, 1);
    private readonly Uri _baseUri = target.Address.HttpBase;
    private RedfishAuth? _auth;
    private ServiceRoot? _root;

    public RedfishOptions Options => options;
    public BmcTarget Target => target;
    public DateTimeOffset Now => options.Time.GetUtcNow();

    /// <summary>What authenticates requests now (null before the first one); for tests and diagnostics.</summary>
    internal RedfishAuth? CurrentAuth => _auth;

    public Task<BmcResult<RedfishResponse>> GetAsync(string path, DateTimeOffset deadline, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, null, deadline, ct);

    public async Task<BmcResult<RedfishResponse>> SendAsync(
        HttpMethod method, string path, JsonNode? body, string? ifMatch, DateTimeOffset deadline, CancellationToken ct)
    {
        bool reloggedIn = false;
        for (int attempt = 1; ; attempt++)
        {
            var authenticated = await EnsureAuthAsync(deadline, ct);
            if (!authenticated.IsOk) return authenticated;
            var used = _auth;
            var sent = await SendOnceAsync(method, path, body, ifMatch, used, deadline, ct);
            if (!sent.IsOk) return sent;
            var response = sent.Value;
            if (response.Code == 401)
            {
                // Sessions expire and BMCs reboot; one fresh login is worth a try before calling the credentials wrong.
                if (used is RedfishAuth.Session && !reloggedIn)
                {
                    reloggedIn = true;
                    attempt--;
                    Interlocked.CompareExchange(ref _auth, null, used);
                    LogRelogin(log, target.Address.Host, method.Method, path);
                    continue;
                }
                return BmcResult.Fail(BmcOutcome.WrongCredentials,
                    $"the BMC refused the credentials for user '{target.Credentials.Username}' ({method} {path}): {response.Describe()}");
            }
            if (attempt < options.MaxAttempts && IsRetryable(method, response))
            {
                TimeSpan delay = response.RetryAfter is { } ra
                    ? (ra > options.MaxRetryAfter ? options.MaxRetryAfter : ra)
                    : options.RetryBackoff * Math.Pow(2, attempt - 1);
                if (Now + delay >= deadline) return sent;
                LogRetry(log, target.Address.Host, method.Method, path, response.Code, delay.TotalMilliseconds);
                await Task.Delay(delay, options.Time, ct);
                continue;
            }
            return sent;
        }
    }

    // 503 and 429 mean "not now, nothing done", so any request may be repeated. Other 5xx may have half-happened,
    // so only reads are repeated: a reset sent twice is a double reboot.
    private static bool IsRetryable(HttpMethod method, RedfishResponse r) =>
        r.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests ||
        (method == HttpMethod.Get && r.Code is 500 or 502 or 504);

    /// <summary>GET /redfish/v1/, once per client. The service root is readable without credentials by the spec.</summary>
    public async Task<BmcResult<ServiceRoot>> GetServiceRootAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        if (_root is { } known) return BmcResult<ServiceRoot>.Ok(known);
        var sent = await SendOnceAsync(HttpMethod.Get, ServiceRootPath, null, null, _auth, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        if (sent.Value.Code == 401)
        {
            // Some BMCs protect even the root; the basic credentials are the only ones we can offer before a session.
            sent = await SendOnceAsync(HttpMethod.Get, ServiceRootPath, null, null, BasicAuth, deadline, ct);
            if (!sent.IsOk) return sent.WithoutValue();
        }
        var body = sent.Value.RequireBody("reading the Redfish service root");
        if (!body.IsOk) return body.WithoutValue();
        _root = ServiceRoot.From(body.Value);
        return BmcResult<ServiceRoot>.Ok(_root);
    }

    private RedfishAuth.Basic BasicAuth => new(target.Credentials.Username ?? "", target.Credentials.Password ?? "");

    private async Task<BmcResult> EnsureAuthAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        if (_auth is not null) return BmcResult.Ok();
        TimeSpan remaining = deadline - Now;
        // Another call is logging in; its login serves us too, but not beyond our deadline.
        if (remaining <= TimeSpan.Zero || !await _loginLock.WaitAsync(remaining, ct))
        {
            return BmcResult.Fail(BmcOutcome.Unreachable, $"the deadline passed while waiting to log in to {_baseUri.Authority}");
        }
        try
        {
            if (_auth is not null) return BmcResult.Ok();
            var login = await LoginAsync(deadline, ct);
            if (login.IsOk) _auth = login.Value;
            return login.IsOk ? BmcResult.Ok() : login.WithoutValue();
        }
        finally
        {
            _loginLock.Release();
        }
    }

    private async Task<BmcResult<RedfishAuth>> LoginAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var serviceRoot = await GetServiceRootAsync(deadline, ct);
        if (!serviceRoot.IsOk) return serviceRoot.WithoutValue();
        string? sessions = serviceRoot.Value.SessionsPath
            ?? (serviceRoot.Value.SessionServicePath is { } svc ? svc.TrimEnd('/') + "/Sessions" : null);
        if (sessions is null)
        {
            LogBasic(log, target.Address.Host, "the service root names no session service");
            return BmcResult<RedfishAuth>.Ok(BasicAuth);
        }
        var credentials = new JsonObject
        {
            ["UserName"] = target.Credentials.Username ?? "",
            ["Password"] = target.Credentials.Password ?? "",
        };
        var sent = await SendOnceAsync(HttpMethod.Post, sessions, credentials, null, null, deadline, ct);
        if (!sent.IsOk) return sent.WithoutValue();
        var r = sent.Value;
        if (r.IsSuccess && !string.IsNullOrEmpty(r.AuthToken))
        {
            return BmcResult<RedfishAuth>.Ok(new RedfishAuth.Session(r.AuthToken, r.Location ?? r.Body?.Str("@odata.id")));
        }
        if (r.Code is 401 or 403)
        {
            return BmcResult.Fail(BmcOutcome.WrongCredentials,
                $"the BMC refused to open a session for user '{target.Credentials.Username}': {r.Describe()}");
        }
        // Session limit reached (iLO and iDRAC answer 503 or 400 with a SessionLimitExceeded message), no session
        // support, or a session answer without a token: basic auth still works on those BMCs, so use it.
        LogBasic(log, target.Address.Host, $"session login failed: {r.Describe()}");
        return BmcResult<RedfishAuth>.Ok(BasicAuth);
    }

    private async Task<BmcResult<RedfishResponse>> SendOnceAsync(
        HttpMethod method, string path, JsonNode? body, string? ifMatch, RedfishAuth? with, DateTimeOffset deadline, CancellationToken ct)
    {
        TimeSpan remaining = deadline - Now;
        if (remaining <= TimeSpan.Zero)
        {
            return BmcResult.Fail(BmcOutcome.Unreachable, $"the deadline passed before {method} {path} could be sent to {_baseUri.Authority}");
        }
        if (Resolve(path) is not { } uri)
        {
            return BmcResult.Fail(BmcOutcome.BmcError, $"the BMC pointed us to '{path}', which is not a URL path we can follow");
        }
        TimeSpan timeout = remaining < options.RequestTimeout ? remaining : options.RequestTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        bool entered = false;
        try
        {
            await _gate.WaitAsync(cts.Token);
            entered = true;
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("OData-Version", "4.0");
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            if (body is not null)
            {
                // No charset parameter: some BMCs reject "application/json; charset=utf-8" with 415.
                request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            with?.Apply(request);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var read = await ResponseReader.ReadAsync(method, path, response, options.MaxResponseBytes, Now, cts.Token);
            return BmcResult<RedfishResponse>.Ok(read);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return BmcResult.Fail(BmcOutcome.Unreachable,
                $"no answer from {_baseUri.Authority} to {method} {path} within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            return BmcResult.Fail(BmcOutcome.Unreachable,
                $"TLS with {_baseUri.Authority} failed ({e.InnerException.Message}); if the BMC has a self-signed certificate, set disableCertificateVerification");
        }
        catch (HttpRequestException e)
        {
            return BmcResult.Fail(BmcOutcome.Unreachable, $"cannot reach {_baseUri.Authority} for {method} {path}: {e.Message}");
        }
        catch (IOException e)
        {
            return BmcResult.Fail(BmcOutcome.Unreachable, $"the connection to {_baseUri.Authority} broke during {method} {path}: {e.Message}");
        }
        finally
        {
            if (entered) _gate.Release();
        }
    }

    /// <summary>
    /// A path from us or from the BMC (<c>@odata.id</c>, <c>Location</c>) as a URL on this BMC. An absolute URL keeps
    /// only its path and query: iLO names itself by a host name we may not resolve, and credentials must never
    /// follow a link to another host.
    /// </summary>
    private Uri? Resolve(string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            path = absolute.PathAndQuery;
        }
        if (!path.StartsWith('/')) return null;
        return Uri.TryCreate(_baseUri, path, out var uri) ? uri : null;
    }

    /// <summary>Logs out, so the BMC's few session slots are not held until they time out.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_auth is RedfishAuth.Session { Location: { } location } session)
        {
            _auth = null;
            var deadline = Now + TimeSpan.FromSeconds(5);
            var sent = await SendOnceAsync(HttpMethod.Delete, location, null, null, session, deadline, CancellationToken.None);
            if (!sent.IsOk || !sent.Value.IsSuccess)
            {
                LogLogoutFailed(log, target.Address.Host, sent.IsOk ? sent.Value.Describe() : sent.Message);
            }
        }
        http.Dispose();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Redfish {Host}: {Method} {Path} got 401 with a session; logging in again")]
    private static partial void LogRelogin(ILogger log, string host, string method, string path);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Redfish {Host}: {Method} {Path} answered {Status}; retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger log, string host, string method, string path, int status, double delayMs);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Redfish {Host}: using basic auth because {Reason}")]
    private static partial void LogBasic(ILogger log, string host, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Redfish {Host}: could not delete the session: {Reason}")]
    private static partial void LogLogoutFailed(ILogger log, string host, string? reason);
}
