using Metal3.Data;
using Metal3.Pxe.VirtualMedia;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.VirtualMedia;

/// <summary>
/// <c>GET /boot/iso/{host id}/{token}.iso</c> on the provisioning listener: a virtual-media host's agent ISO, built on
/// the first request (BMCs fetch it when the CD is read, not when it is inserted) and then served from the cache with
/// range requests, which BMCs reading a CD use. An unknown host, a wrong token, or a host that is not virtual media is a
/// 404, the same answer for each, so the listener tells nothing about which hosts exist.
/// </summary>
public static partial class AgentIsoEndpoint
{
    private static readonly string[] GetHead = [HttpMethods.Get, HttpMethods.Head];

    public static WebApplication MapAgentIso(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Pxe.PxeHosting>().HttpUrl is null)
        {
            return app;
        }
        app.MapMethods(AgentIsoUrls.PathPrefix + "/{hostId:guid}/{token}.iso", GetHead, ServeAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ServeAsync(Guid hostId, string token, IDbContextFactory<Metal3DbContext> dbFactory,
        AgentIsoUrls urls, AgentIsoBuilder builder, ILoggerFactory loggers, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var spec = await db.Hosts.AsNoTracking().Where(h => h.Id == hostId).Select(h => h.Spec).FirstOrDefaultAsync(ct);
        if (spec is null || urls.Check(hostId, spec, token) is not { } iso)
        {
            return Results.NotFound();
        }
        try
        {
            string path = await builder.GetAsync(iso, ct);
            return TypedResults.PhysicalFile(path, "application/x-iso9660-image", enableRangeProcessing: true);
        }
        catch (InvalidOperationException e)
        {
            // The BMC only sees that the CD cannot be read; the operator finds why in the log.
            Log.BuildFailed(loggers.CreateLogger(typeof(AgentIsoEndpoint).FullName!), hostId, e.Message);
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "agent ISO for host {HostId}: {Reason}")]
        public static partial void BuildFailed(ILogger logger, Guid hostId, string reason);
    }
}
