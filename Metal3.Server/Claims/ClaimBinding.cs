using Metal3.Core.Claims;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Server.Jobs;
using Microsoft.EntityFrameworkCore;
using Host = Metal3.Core.Hosts.Host;

namespace Metal3.Server.Claims;

/// <summary>
/// One claim's next step, each in a context of its own and saved only if neither the claim nor its host changed since
/// they were read: bind a pending claim to a free host, follow a bound one (provisioned? host lost?), release a deleted
/// one. A claim and its host change in one transaction, so a kill at any moment leaves both as they were or both as
/// decided. Any number of daemons may run these at once: the loser of a race saves nothing and looks again.
/// </summary>
public sealed class ClaimBinding(
    IDbContextFactory<Metal3DbContext> dbFactory,
    SqliteWriteGate writes,
    IReconcileQueue reconcile,
    DaemonIdentity daemon,
    JobTimings timings,
    TimeProvider time)
{
    public enum BindResult
    {
        Bound,
        /// <summary>The claim is no longer the pending claim that was read (bound elsewhere, deleted): move on.</summary>
        ClaimChanged,
        /// <summary>The host was taken or changed meanwhile: try the claim on another host.</summary>
        HostTaken,
    }

    /// <summary>A host a claim may take: available, healthy, managed, not being deleted, and held by nobody.</summary>
    public static bool IsFree(Host host) =>
        host.State == ProvisioningState.Available
        && host.Status.OperationalStatus == OperationalStatus.Ok
        && host.Spec.ConsumerRef is null
        && host.Spec.Image is null
        && !host.Spec.ExternallyProvisioned
        && !host.IsBeingDeleted
        && !host.Detached;

    public static bool Matches(ClaimSpec claim, IReadOnlyList<LabelRequirement> selector, Host host) =>
        LabelSelection.Matches(host.Spec.Labels, selector) && (claim.Hardware?.IsMetBy(host.Status.Hardware) ?? true);

    public async Task<BindResult> TryBindAsync(Guid claimId, long claimVersion, Guid hostId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claims = new ClaimStore(db, writes, time);
        var hosts = new HostStore(db, writes, time);
        var claim = await claims.FindAsync(claimId, ct);
        if (claim is null || claim.ResourceVersion != claimVersion || claim.Phase != ClaimPhase.Pending)
        {
            return BindResult.ClaimChanged;
        }
        var host = await hosts.FindForReconcileAsync(hostId, ct);
        if (host is null || !IsFree(host) || !ClaimSelectors.TryParse(claim.Spec.LabelSelector, out var selector, out _)
            || !Matches(claim.Spec, selector, host))
        {
            return BindResult.HostTaken;
        }
        host.ReplaceSpecForClaim(claim.Spec.Provision(host.Spec, claim.Name), "Claimed",
            claim.Spec.Image is null ? $"claimed by claim {claim.Name}" : $"claimed by claim {claim.Name}, to provision {claim.Spec.Image.Url}");
        claims.Bind(claim, host.Id, host.Name, daemon.Id);
        // The host's UPDATE holds only while its consumerRef is still null and its version the one read; the claim's only
        // while its version is: both or neither.
        var outcome = await hosts.SaveForClaimAsync(host, LookAgainAt(), daemon.Id, CancellationToken.None);
        if (outcome != WriteOutcome.Saved)
        {
            return BindResult.HostTaken;
        }
        if (claim.Spec.Image is not null)
        {
            // Only an image is work for the state machine; a consumerRef alone is bookkeeping it never reads.
            reconcile.Enqueue(host.Id);
        }
        return BindResult.Bound;
    }

    /// <summary>A bound claim whose host is gone, being deleted or no longer names it goes back to Pending.</summary>
    public async Task UnbindAsync(Guid claimId, long claimVersion, string why, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claims = new ClaimStore(db, writes, time);
        var claim = await claims.FindAsync(claimId, ct);
        if (claim is null || claim.ResourceVersion != claimVersion || claim.Phase is not (ClaimPhase.Bound or ClaimPhase.Provisioned))
        {
            return;
        }
        claims.Unbind(claim, why, daemon.Id);
        await claims.SaveChangesAsync(CancellationToken.None);
    }

    public async Task MarkProvisionedAsync(Guid claimId, long claimVersion, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claims = new ClaimStore(db, writes, time);
        var claim = await claims.FindAsync(claimId, ct);
        if (claim is null || claim.ResourceVersion != claimVersion || claim.Phase != ClaimPhase.Bound)
        {
            return;
        }
        claims.MarkProvisioned(claim, daemon.Id);
        await claims.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// A deleted claim's next step: clear its host's image (the host deprovisions and cleans), wait until it has, then
    /// free the host (consumerRef cleared) and remove the claim, in one transaction.
    /// </summary>
    public async Task ReleaseAsync(Guid claimId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claims = new ClaimStore(db, writes, time);
        var hosts = new HostStore(db, writes, time);
        var claim = await claims.FindAsync(claimId, ct);
        if (claim is null || claim.Phase != ClaimPhase.Releasing)
        {
            return;
        }
        var host = claim.HostId is { } hostId ? await hosts.FindForReconcileAsync(hostId, ct) : null;
        if (host is null || host.Spec.ConsumerRef != ClaimSpec.ConsumerRefOf(claim.Name) || host.IsBeingDeleted)
        {
            claims.Remove(claim, claim.HostName is null ? "released (it held no host)" : $"released; host {claim.HostName} is no longer held by it", daemon.Id);
            await claims.SaveChangesAsync(CancellationToken.None);
            return;
        }
        if (host.Spec.Image is not null)
        {
            host.ReplaceSpecForClaim(ClaimSpec.Deprovision(host.Spec), "ClaimReleasing", $"claim {claim.Name} released: deprovisioning");
            claims.Note(claim, $"deprovisioning host {host.Name}");
            await SaveWithHostAsync(hosts, host, reconcileNow: true);
            return;
        }
        if (host.State is ProvisioningState.Provisioning or ProvisioningState.Provisioned or ProvisioningState.Deprovisioning)
        {
            claims.Note(claim, $"waiting for host {host.Name} to be deprovisioned (it is {Metal3.Core.Json.WireName.Of(host.State)})");
            await claims.SaveChangesAsync(CancellationToken.None);
            return;
        }
        host.ReplaceSpecForClaim(host.Spec with { ConsumerRef = null }, "ClaimReleased", $"freed by claim {claim.Name}");
        claims.Remove(claim, $"released; host {host.Name} is free", daemon.Id);
        await SaveWithHostAsync(hosts, host, reconcileNow: false);
    }

    private async Task SaveWithHostAsync(HostStore hosts, Host host, bool reconcileNow)
    {
        if (await hosts.SaveForClaimAsync(host, LookAgainAt(), daemon.Id, CancellationToken.None) == WriteOutcome.Saved && reconcileNow)
        {
            reconcile.Enqueue(host.Id);
        }
    }

    private DateTimeOffset LookAgainAt() => time.GetUtcNow() + timings.SafetyNet;
}
