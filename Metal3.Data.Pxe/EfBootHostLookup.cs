using Metal3.Pxe;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data.Pxe;

/// <summary>
/// Which host boots from a MAC: one indexed read of <c>hosts."BootMacAddress"</c> (stored normalised, as the
/// lookup is asked). Null for a MAC nobody enrolled.
/// </summary>
public sealed class EfBootHostLookup(IDbContextFactory<Metal3DbContext> contexts) : IBootHostLookup
{
    public async ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var host = await db.Hosts.AsNoTracking()
            .Where(h => h.BootMacAddress == mac)
            .Select(h => new { h.Name, h.State, h.Spec })
            .FirstOrDefaultAsync(cancellationToken);
        return host is null ? null : new BootHost(host.Name, host.State, host.Spec.Image is not null);
    }
}
