namespace Metal3.Server.Auth;

/// <summary>
/// One line per API write (POST, PUT, PATCH, DELETE under <c>/api/v1</c>) in the category <c>Metal3.Audit</c>: who (the
/// token's name), what (method and path), which host, and how it ended, refused ones included. The deploy agent's calls
/// are left out: they are its protocol, not an operator's write, and come every few seconds per host.
/// </summary>
public sealed partial class AuditLog(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "Metal3.Audit";
    private readonly ILogger _log = loggers.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext http)
    {
        if (!IsAuditedWrite(http.Request))
        {
            await next(http);
            return;
        }
        try
        {
            await next(http);
        }
        catch
        {
            Log(http, outcome: "failed");
            throw;
        }
        Log(http, outcome: http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool IsAuditedWrite(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
        && request.Path.StartsWithSegments("/api/v1", StringComparison.Ordinal)
        && !request.Path.StartsWithSegments("/api/v1/agent", StringComparison.Ordinal);

    /// <summary>Path and host as escaped in a URL: a caller cannot start a new log line with an encoded line break.</summary>
    private void Log(HttpContext http, string outcome)
    {
        string? host = http.Request.Path.StartsWithSegments("/api/v1/hosts", StringComparison.Ordinal)
            ? http.Request.RouteValues["name"] as string
            : null;
        LogWrite(_log, ApiActor.Of(http.User) ?? "unauthenticated", http.Request.Method, http.Request.Path.ToUriComponent(),
            host is null ? "-" : Uri.EscapeDataString(host), outcome, http.Connection.RemoteIpAddress?.ToString() ?? "local");
    }

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "{Actor} {Method} {Path} host={Host} outcome={Outcome} from={Remote}")]
    private static partial void LogWrite(ILogger log, string actor, string method, string path, string host, string outcome, string remote);
}
