using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Data.Entities;

/// <summary>
/// One row per host. Spec and status are JSON columns; what queries filter on is a column of its own. Only this project
/// writes it: everything else changes a <see cref="Host"/> and saves it through <see cref="HostStore"/>.
/// </summary>
public sealed class HostRecord
{
    public Guid Id { get; internal set; }
    public string Name { get; internal set; } = "";
    public string? BootMacAddress { get; internal set; }
    public ProvisioningState State { get; internal set; }
    public OperationalStatus OperationalStatus { get; internal set; }

    /// <summary>
    /// <c>Spec.ConsumerRef</c> as a column: a claim binds the host with an UPDATE that holds only while it is still null.
    /// </summary>
    public string? ConsumerRef { get; internal set; }

    /// <summary>Incremented by every write (spec or status); the ETag and the optimistic concurrency token.</summary>
    public long ResourceVersion { get; internal set; }

    public DateTime CreatedAt { get; internal set; }
    public HostSpec Spec { get; internal set; } = null!;

    /// <summary>The BMC password, protected with ASP.NET Data Protection. Never leaves the daemon.</summary>
    public string? BmcPasswordProtected { get; internal set; }

    public HostStatus Status { get; internal set; } = null!;

    /// <summary>Work under way (agent command, soft power-off), so a restarted daemon polls it instead of restarting it.</summary>
    public HostOperation? Operation { get; internal set; }

    /// <summary>Set by DELETE; the state machine powers the host off and removes the row.</summary>
    public DateTime? DeletionRequestedAt { get; internal set; }

    /// <summary>Operator actions waiting for the reconciler (POST …/actions/*).</summary>
    public DateTime? RebootRequestedAt { get; internal set; }
    public DateTime? InspectRequestedAt { get; internal set; }
    public bool Detached { get; internal set; }

    /// <summary>When the sweep should enqueue a reconcile for this host again (UTC).</summary>
    public DateTime? NextReconcileAt { get; internal set; }

    /// <summary>The host lease: which daemon acts on the host, and until when.</summary>
    public string? LeaseOwner { get; internal set; }
    public DateTime? LeaseExpiresAt { get; internal set; }

    public List<HostLabel> Labels { get; internal set; } = [];
}
