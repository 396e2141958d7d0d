using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Metal3.Core.Hosts;
using Metal3.Pxe;
using Metal3.Pxe.Ipxe;

namespace Metal3.Server.Pxe;

/// <summary>
/// <c>GET /boot/ipxe?mac=</c>: the iPXE script for a machine, from its host's state. Answered by
/// <see cref="ProvisioningListener"/> itself, ahead of exception pages, authentication and endpoint dispatch: every
/// machine of a rack fetches it at once, the request carries nothing to authenticate, and that pipeline held the
/// script to 48 k/s against nginx's 83 k/s serving the same text as a file (bench/pxe/http.sh, quiet 2-core machine).
/// The rendered bytes are kept per MAC while the host's boot-relevant fields stay the same, so a repeated request is
/// a dictionary lookup and a write.
/// </summary>
public sealed partial class BootScriptEndpoint(PxeHosting pxe, IBootHostLookup hosts, BootTimeline timeline, PxeMetrics metrics,
    ILogger<BootScriptEndpoint> logger)
{
    public const string Path = "/boot/ipxe";

    private readonly AgentBoot _agent = new(new Uri(pxe.HttpUrl!, BootEndpoints.AgentKernelPath), new Uri(pxe.HttpUrl!, BootEndpoints.AgentInitramfsPath),
        pxe.HttpUrl!, pxe.AgentKernelArgs);

    /// <summary>A flood of made-up MACs must not grow memory; the cache only saves work.</summary>
    private const int MaxRendered = 10_000;
    private readonly ConcurrentDictionary<string, RenderedScript> _rendered = new();

    private sealed record RenderedScript(BootHost? Host, byte[] Bytes, bool BootsAgent);

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }
        string? mac = QueryValue(context.Request.QueryString, "mac");
        if (!MacAddress.TryNormalize(mac, out var normalized))
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, $"mac must be a MAC address such as 52:54:00:12:34:56, not '{mac}'\n");
            return;
        }
        BootHost? host;
        try
        {
            host = await hosts.FindByMacAsync(normalized, context.RequestAborted);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Nothing later in the pipeline turns an exception into a response here: say what happened; iPXE retries.
            Log.LookupFailed(logger, normalized, e);
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "the inventory cannot be read right now; retry\n");
            return;
        }
        var script = Rendered(normalized, host);
        Log.ScriptServed(logger, normalized, host?.Name ?? "(unknown)", script.BootsAgent ? "agent" : "local disk");
        if (host is not null)
        {
            timeline.ScriptServed(normalized, script.BootsAgent);
        }
        int bytes = await WriteAsync(context, StatusCodes.Status200OK, script.Bytes);
        metrics.HttpServed("script", bytes);
    }

    private RenderedScript Rendered(string mac, BootHost? host)
    {
        // BootHost is a record: equal fields render the same script (the discovery switch is fixed at start-up).
        if (_rendered.TryGetValue(mac, out var known) && Equals(known.Host, host))
        {
            return known;
        }
        bool discovery = pxe.Options.Dhcp.Discovery;
        var script = new RenderedScript(host, Encoding.UTF8.GetBytes(IpxeScript.Render(mac, host, _agent, discovery)),
            IpxeScript.BootsAgent(host, discovery));
        if (_rendered.Count >= MaxRendered)
        {
            _rendered.Clear();
        }
        _rendered[mac] = script;
        return script;
    }

    /// <summary>
    /// The first value of one query parameter, unescaped; null when absent. Walks the raw query with ASP.NET's
    /// <see cref="QueryStringEnumerable"/> instead of building the request's query dictionary, which this one parameter
    /// does not need.
    /// </summary>
    internal static string? QueryValue(QueryString query, string name)
    {
        foreach (var pair in new QueryStringEnumerable(query.Value))
        {
            if (pair.EncodedName.Span.SequenceEqual(name))
            {
                return pair.DecodeValue().ToString();
            }
        }
        return null;
    }

    private static Task<int> WriteAsync(HttpContext context, int status, string text) =>
        WriteAsync(context, status, Encoding.UTF8.GetBytes(text));

    private static async Task<int> WriteAsync(HttpContext context, int status, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return 0;
        }
        await response.Body.WriteAsync(body, context.RequestAborted);
        return body.Length;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "iPXE script for {Mac} ({Host}): {Boots}")]
        public static partial void ScriptServed(ILogger logger, string mac, string host, string boots);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "iPXE script for {Mac}: looking the host up failed")]
        public static partial void LookupFailed(ILogger logger, string mac, Exception exception);
    }
}
