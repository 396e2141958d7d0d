using Metal3.Core.Hosts;
using Metal3.Pxe;
using Metal3.Pxe.Ipxe;
using Metal3.Pxe.Tftp;

namespace Metal3.Server.Pxe;

/// <summary>
/// What machines on the provisioning network fetch over HTTP (only reachable there, see <see cref="ProvisioningListener"/>):
/// the iPXE script for their MAC, the agent's kernel and initramfs, iPXE binaries from the TFTP root (UEFI HTTP boot),
/// and operator-placed images with range requests. Files come only from inside their directory.
/// </summary>
public static partial class BootEndpoints
{
    public const string AgentKernelPath = "/boot/agent/vmlinuz";
    public const string AgentInitramfsPath = "/boot/agent/initramfs";
    private static readonly string[] GetHead = [HttpMethods.Get, HttpMethods.Head];

    public static WebApplication MapPxeBoot(this WebApplication app)
    {
        var pxe = app.Services.GetRequiredService<PxeHosting>();
        if (pxe.HttpUrl is not { } httpUrl || !pxe.Enabled)
        {
            return app;
        }
        var agent = new AgentBoot(new Uri(httpUrl, AgentKernelPath), new Uri(httpUrl, AgentInitramfsPath), httpUrl, pxe.AgentKernelArgs);
        var bootRoot = new TftpRoot(pxe.Options.Tftp.Root);
        var imagesRoot = new TftpRoot(pxe.ImagesDir);
        var boot = app.MapGroup("/boot").AllowAnonymous().ExcludeFromDescription();
        // One logger for the endpoint: creating it per request takes the logger factory's lock, which showed at 10 k scripts/s.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootEndpoints).FullName!);
        boot.MapGet("/ipxe", (string? mac, IBootHostLookup hosts, BootTimeline timeline, CancellationToken ct) =>
            ScriptAsync(mac, hosts, timeline, agent, pxe.Options.Dhcp.Discovery, logger, ct));
        boot.MapMethods("/agent/vmlinuz", GetHead, () => File(pxe.AgentKernel, "agent"));
        boot.MapMethods("/agent/initramfs", GetHead, () => File(pxe.AgentInitramfs, "agent"));
        boot.MapMethods("/{**file}", GetHead, (string file) => File(bootRoot.Resolve(file), "boot"));
        app.MapMethods("/images/{**file}", GetHead, (string file) => File(imagesRoot.Resolve(file), "image"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ScriptAsync(string? mac, IBootHostLookup hosts, BootTimeline timeline, AgentBoot agent, bool discovery,
        ILogger logger, CancellationToken ct)
    {
        if (!MacAddress.TryNormalize(mac, out var normalized))
        {
            return Results.Text($"mac must be a MAC address such as 52:54:00:12:34:56, not '{mac}'\n", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        var host = await hosts.FindByMacAsync(normalized, ct);
        string script = IpxeScript.Render(normalized, host, agent, discovery);
        bool bootsAgent = IpxeScript.BootsAgent(host, discovery);
        Log.ScriptServed(logger, normalized, host?.Name ?? "(unknown)", bootsAgent ? "agent" : "local disk");
        if (host is not null)
        {
            timeline.ScriptServed(normalized, bootsAgent);
        }
        PxeMetrics.HttpServed("script", System.Text.Encoding.UTF8.GetByteCount(script));
        return Results.Text(script, "text/plain; charset=utf-8");
    }

    private static IResult File(string? path, string kind) =>
        path is not null && System.IO.File.Exists(path) ? new CountedFile(path, kind) : Results.NotFound();

    /// <summary>A physical file with range requests, counted in <see cref="PxeMetrics"/> once sent.</summary>
    private sealed class CountedFile(string path, string kind) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            await TypedResults.PhysicalFile(path, "application/octet-stream", enableRangeProcessing: true).ExecuteAsync(context);
            if (HttpMethods.IsGet(context.Request.Method) && context.Response.StatusCode is 200 or 206)
            {
                PxeMetrics.HttpServed(kind, context.Response.ContentLength ?? 0);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "iPXE script for {Mac} ({Host}): {Boots}")]
        public static partial void ScriptServed(ILogger logger, string mac, string host, string boots);
    }
}
