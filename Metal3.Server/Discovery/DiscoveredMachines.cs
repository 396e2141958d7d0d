using Metal3.Core.Hosts;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Agent;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Discovery;

/// <summary>
/// The discovered_machines rows: written by anonymous agents' reports (bounded in number and size), read by operators,
/// removed by enrolment or when a machine has not reported for <see cref="AgentOptions.DiscoveryTtl"/>. A machine that
/// has expired is gone for readers at once, whether or not the sweep has deleted its row yet.
/// </summary>
public sealed class DiscoveredMachines(Metal3DbContext db, SqliteWriteGate writes, AgentOptions options, TimeProvider time)
{
    public const int MaxMacs = 64;

    public enum ReportOutcome { Recorded, Full, Enrolled }

    public sealed record Report(IReadOnlyList<string> Macs, HardwareDetails? Inventory, string? BmcAddress, string? From);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private DateTime ExpiredBefore => Now - options.DiscoveryTtl;

    /// <summary>
    /// Records or refreshes the machine with these MACs. <see cref="ReportOutcome.Enrolled"/> when one of them is an
    /// enrolled host's boot MAC: such a report is the host's agent (or someone posing as it), and nothing is written.
    /// </summary>
    public async Task<(ReportOutcome Outcome, DiscoveredMachineRecord? Machine, string? HostMac)> RecordAsync(Report report, CancellationToken ct)
    {
        var macs = report.Macs.ToList();
        string? enrolledMac = await db.Hosts.AsNoTracking()
            .Where(h => h.BootMacAddress != null && macs.Contains(h.BootMacAddress))
            .Select(h => h.BootMacAddress).FirstOrDefaultAsync(ct);
        if (enrolledMac is not null)
        {
            return (ReportOutcome.Enrolled, null, enrolledMac);
        }
        string key = macs.Min(StringComparer.Ordinal)!;
        var now = Now;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await writes.WriteAsync(() => UpsertAsync(key, macs, report, now, ct), ct);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Two reports of one new machine at once (PostgreSQL): the other inserted it; this one updates it.
            }
        }
    }

    private async Task<(ReportOutcome, DiscoveredMachineRecord?, string?)> UpsertAsync(
        string key, List<string> macs, Report report, DateTime now, CancellationToken ct)
    {
        {
            try
            {
                var machine = await db.DiscoveredMachines.FirstOrDefaultAsync(m => m.Key == key, ct);
                if (machine is null || machine.LastSeenAt < ExpiredBefore)
                {
                    if (machine is not null)
                    {
                        // Expired but not swept yet: a machine back after its TTL is a new sighting.
                        db.DiscoveredMachines.Remove(machine);
                    }
                    var live = ExpiredBefore;
                    if (await db.DiscoveredMachines.CountAsync(m => m.LastSeenAt >= live, ct) >= options.DiscoveryMaxMachines)
                    {
                        return (ReportOutcome.Full, (DiscoveredMachineRecord?)null, (string?)null);
                    }
                    machine = new DiscoveredMachineRecord { Id = Guid.CreateVersion7(), Key = key, Macs = [], FirstSeenAt = now };
                    db.DiscoveredMachines.Add(machine);
                }
                machine.Macs = [.. macs];
                machine.Inventory = report.Inventory;
                machine.BmcAddress = report.BmcAddress;
                machine.ReportedFrom = report.From;
                machine.LastSeenAt = now;
                await db.SaveChangesAsync(ct);
                return (ReportOutcome.Recorded, machine, null);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The machines that have not expired, most recently seen first.</summary>
    public async Task<List<DiscoveredMachineRecord>> ListAsync(CancellationToken ct)
    {
        var live = ExpiredBefore;
        var machines = await db.DiscoveredMachines.AsNoTracking().Where(m => m.LastSeenAt >= live).ToListAsync(ct);
        return [.. machines.OrderByDescending(m => m.LastSeenAt).ThenBy(m => m.Key, StringComparer.Ordinal)];
    }

    public Task<DiscoveredMachineRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        var live = ExpiredBefore;
        return db.DiscoveredMachines.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.LastSeenAt >= live, ct);
    }

    public Task<int> RemoveAsync(Guid id, CancellationToken ct) =>
        writes.WriteAsync(() => db.DiscoveredMachines.Where(m => m.Id == id).ExecuteDeleteAsync(ct), ct);

    /// <summary>Deletes the machines that have not reported within the TTL; the sweep's one query.</summary>
    public Task<int> RemoveExpiredAsync(CancellationToken ct)
    {
        var live = ExpiredBefore;
        return writes.WriteAsync(() => db.DiscoveredMachines.Where(m => m.LastSeenAt < live).ExecuteDeleteAsync(ct), ct);
    }

    public DateTimeOffset ExpiresAt(DiscoveredMachineRecord machine) => AsUtc(machine.LastSeenAt) + options.DiscoveryTtl;

    public static DateTimeOffset AsUtc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
