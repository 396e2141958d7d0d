using Metal3.Core.Provisioning;
using Metal3.Core.Json;
using Metal3.Data;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Metrics;

/// <summary>Counts the state transitions a reconcile saved, and how long the host had been in the state it left.</summary>
internal static class TransitionMetrics
{
    public static async Task RecordAsync(ServerMetrics metrics, Metal3DbContext db, Host host,
        IReadOnlyList<HostEventRecord> saved, CancellationToken ct)
    {
        foreach (var e in saved)
        {
            if (!WireNames<ProvisioningState>.TryParse(e.FromState, out var from) || !WireNames<ProvisioningState>.TryParse(e.ToState, out var to))
            {
                continue;
            }
            // When it entered the state it leaves: the transition into it (any daemon may have made it), or enrollment.
            var entered = await db.HostEvents.AsNoTracking()
                .Where(x => x.HostId == host.Id && x.ToState == e.FromState && x.Id < e.Id)
                .OrderByDescending(x => x.Id)
                .Select(x => (DateTime?)x.Time)
                .FirstOrDefaultAsync(ct) ?? (from == ProvisioningState.Registering ? host.CreatedAt.UtcDateTime : null);
            metrics.Transition(from, to, entered is { } t ? e.Time - t : null);
        }
    }
}
