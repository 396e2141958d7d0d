using Metal3.Core.Claims;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Data.Outages;
using Metal3.Server.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Claims;

/// <summary>
/// The claims' level-triggered loop: at every tick of the sweep interval (and when a claim is written through this
/// daemon), it looks at every claim that is not at rest and takes each one step (<see cref="ClaimBinding"/>): releasing
/// claims first, so their hosts come back; then bound claims (provisioned yet? host lost?); then pending claims, oldest
/// first, each offered the free matching hosts in name order. Host sets are kept by the same loop, just before the
/// claims (<see cref="HostSets.HostSetReconciler"/>). Nothing is kept between passes but the rows, so a killed
/// daemon's successor (or another daemon on the same PostgreSQL) carries on where it stopped.
/// </summary>
public sealed partial class ClaimReconciler(
    IDbContextFactory<Metal3DbContext> dbFactory,
    ClaimBinding binding,
    HostSets.HostSetReconciler hostSets,
    ClaimNudges nudges,
    JobTimings timings,
    DatabaseOutages outages,
    ILogger<ClaimReconciler> log) : BackgroundService
{
    /// <summary>Claims taken per phase and pass; the next pass takes the rest.</summary>
    private const int Batch = 1000;

    private static readonly ClaimPhase[] Held = [ClaimPhase.Bound, ClaimPhase.Provisioned];
    private static readonly ClaimPhase[] Releasing = [ClaimPhase.Releasing];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
                outages.Reachable();
            }
            catch (Exception e) when (outages.Report(e, "the claims pass"))
            {
                // Said once per outage; the next pass tries again.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(log, e);
            }
            await nudges.WaitAsync(timings.SweepInterval, stoppingToken);
        }
    }

    /// <summary>
    /// One look at every host set (which may create and delete claims), then at every claim not at rest. Returns how
    /// many claims were bound.
    /// </summary>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        await hostSets.PassAsync(ct);
        List<ClaimRecord> releasing, held, pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var claims = new ClaimStore(db, SqliteWriteGate.Open);
            releasing = await claims.InPhasesAsync(Releasing, Batch, ct);
            held = await claims.InPhasesAsync(Held, Batch, ct);
            pending = await claims.PendingAsync(Batch, ct);
        }
        foreach (var claim in releasing)
        {
            await binding.ReleaseAsync(claim.Id, ct);
        }
        if (held.Count > 0)
        {
            await FollowAsync(held, ct);
        }
        return pending.Count > 0 ? await BindAsync(pending, ct) : 0;
    }

    private async Task FollowAsync(List<ClaimRecord> held, CancellationToken ct)
    {
        var ids = held.Select(c => c.HostId!.Value).ToList();
        Dictionary<Guid, (string? ConsumerRef, bool Deleting, ProvisioningState State)> hosts;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            hosts = (await db.Hosts.AsNoTracking()
                    .Where(h => ids.Contains(h.Id))
                    .Select(h => new { h.Id, h.ConsumerRef, Deleting = h.DeletionRequestedAt != null, h.State })
                    .ToListAsync(ct))
                .ToDictionary(h => h.Id, h => (h.ConsumerRef, h.Deleting, h.State));
        }
        foreach (var claim in held)
        {
            if (!hosts.TryGetValue(claim.HostId!.Value, out var host))
            {
                await binding.UnbindAsync(claim.Id, claim.ResourceVersion, $"host {claim.HostName} was deleted", ct);
            }
            else if (host.Deleting)
            {
                await binding.UnbindAsync(claim.Id, claim.ResourceVersion, $"host {claim.HostName} is being deleted", ct);
            }
            else if (host.ConsumerRef != ClaimSpec.ConsumerRefOf(claim.Name))
            {
                await binding.UnbindAsync(claim.Id, claim.ResourceVersion,
                    $"host {claim.HostName}'s consumerRef was changed to '{host.ConsumerRef}'", ct);
            }
            else if (claim.Phase == ClaimPhase.Bound && claim.Spec.Image is not null && host.State == ProvisioningState.Provisioned)
            {
                await binding.MarkProvisionedAsync(claim.Id, claim.ResourceVersion, ct);
            }
        }
    }

    /// <summary>Oldest claim first; each takes the first free host (by name) that matches it.</summary>
    private async Task<int> BindAsync(List<ClaimRecord> pending, CancellationToken ct)
    {
        List<Metal3.Core.Hosts.Host> free;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            free = (await db.Hosts.AsNoTracking()
                    .Where(h => h.State == ProvisioningState.Available && h.ConsumerRef == null && h.DeletionRequestedAt == null && !h.Detached)
                    .OrderBy(h => h.Name)
                    .ToListAsync(ct))
                .Select(h => h.ToHost())
                .Where(ClaimBinding.IsFree)
                .ToList();
        }
        int bound = 0;
        foreach (var claim in pending)
        {
            if (free.Count == 0)
            {
                break;
            }
            if (!ClaimSelectors.TryParse(claim.Spec.LabelSelector, out var selector, out _))
            {
                continue; // validated when created; a selector this daemon cannot read waits for one that can
            }
            foreach (var host in free.Where(h => ClaimBinding.Matches(claim.Spec, selector, h)).ToList())
            {
                var result = await binding.TryBindAsync(claim.Id, claim.ResourceVersion, host.Id, ct);
                if (result != ClaimBinding.BindResult.ClaimChanged)
                {
                    // Bound, or taken by someone else: either way no longer free for the claims after this one.
                    free.Remove(host);
                }
                if (result != ClaimBinding.BindResult.HostTaken)
                {
                    bound += result == ClaimBinding.BindResult.Bound ? 1 : 0;
                    break;
                }
            }
        }
        if (bound > 0)
        {
            LogBound(log, bound);
        }
        return bound;
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Warning, Message = "A pass over the claims failed; the next one tries again")]
    private static partial void LogPassFailed(ILogger log, Exception e);

    [LoggerMessage(EventId = 241, Level = LogLevel.Information, Message = "Bound {Count} claims")]
    private static partial void LogBound(ILogger log, int count);
}
