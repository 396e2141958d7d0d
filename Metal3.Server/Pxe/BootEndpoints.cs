using Metal3.Pxe;
using Metal3.Pxe.Tftp;

namespace Metal3.Server.Pxe;

/// <summary>
/// What machines on the provisioning network fetch over HTTP (only reachable there, see <see cref="ProvisioningListener"/>),
/// besides the iPXE script (<see cref="BootScriptEndpoint"/>): the agent's kernel and initramfs, iPXE binaries from the TFTP root (UEFI HTTP boot),
/// and operator-placed images with range requests. Files come only from inside their directory.
/// </summary>
public static class BootEndpoints
{
    public const string AgentKernelPath = "/boot/agent/vmlinuz";
    public const string AgentInitramfsPath = "/boot/agent/initramfs";
    private static readonly string[] GetHead = [HttpMethods.Get, HttpMethods.Head];

    public static WebApplication MapPxeBoot(this WebApplication app)
    {
        var pxe = app.Services.GetRequiredService<PxeHosting>();
        if (pxe.HttpUrl is not { } httpUrl)
        {
            return app;
        }
        var metrics = app.Services.GetRequiredService<PxeMetrics>();
        IResult File(string? path, string kind) =>
            path is not null && System.IO.File.Exists(path) ? new CountedFile(path, kind, metrics) : Results.NotFound();
        var bootRoot = new TftpRoot(pxe.Options.Tftp.Root);
        var imagesRoot = new TftpRoot(pxe.ImagesDir);
        var boot = app.MapGroup("/boot").AllowAnonymous().ExcludeFromDescription();
        boot.MapMethods("/agent/vmlinuz", GetHead, () => File(pxe.AgentKernel, "agent"));
        boot.MapMethods("/agent/initramfs", GetHead, () => File(pxe.AgentInitramfs, "agent"));
        boot.MapMethods("/{**file}", GetHead, (string file) => File(bootRoot.Resolve(file), "boot"));
        app.MapMethods("/images/{**file}", GetHead, (string file) => File(imagesRoot.Resolve(file), "image"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// A physical file with range requests, counted in <see cref="PxeMetrics"/> once sent. A plain GET of the whole file
    /// (the firmware's and the agent's first request) is read straight into the response's buffers, 64 KiB at a time:
    /// the general file result reads into a buffer of its own and copies that into the response, one copy more per
    /// byte, which held a 30 MiB image to 0.78 of nginx's rate (bench/pxe/http.sh). Ranges and conditional requests
    /// take the general path, which handles them.
    /// </summary>
    private sealed class CountedFile(string path, string kind, PxeMetrics metrics) : IResult
    {
        private const int ChunkBytes = 64 << 10;

        public async Task ExecuteAsync(HttpContext context)
        {
            var request = context.Request;
            bool whole = HttpMethods.IsGet(request.Method) && !request.Headers.ContainsKey("Range")
                && !request.Headers.Keys.Any(h => h.StartsWith("If-", StringComparison.OrdinalIgnoreCase));
            if (whole)
            {
                await SendWholeAsync(context);
            }
            else
            {
                await TypedResults.PhysicalFile(path, "application/octet-stream", enableRangeProcessing: true).ExecuteAsync(context);
            }
            if (HttpMethods.IsGet(request.Method) && context.Response.StatusCode is 200 or 206)
            {
                metrics.HttpServed(kind, context.Response.ContentLength ?? 0);
            }
        }

        private async Task SendWholeAsync(HttpContext context)
        {
            using var file = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            var response = context.Response;
            response.ContentType = "application/octet-stream";
            response.ContentLength = length;
            response.Headers.AcceptRanges = "bytes";
            // As the general path does, so that a resumed download's If-Range matches (the agent sends one).
            var modified = System.IO.File.GetLastWriteTimeUtc(path);
            response.GetTypedHeaders().LastModified = new DateTimeOffset(modified.Ticks - (modified.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            var writer = response.BodyWriter;
            for (long offset = 0; offset < length;)
            {
                var memory = writer.GetMemory(ChunkBytes);
                int n = RandomAccess.Read(file, memory.Span[..(int)Math.Min(memory.Length, length - offset)], offset);
                if (n == 0)
                {
                    break;   // the file shrank while being sent: Kestrel ends the response as too short
                }
                writer.Advance(n);
                offset += n;
                var flushed = await writer.FlushAsync(context.RequestAborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
    }
}
