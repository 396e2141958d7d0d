using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Data.Entities;

/// <summary>One row per host. Spec and status are JSON columns; what queries filter on is a column of its own.</summary>
public sealed class HostRecord
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? BootMacAddress { get; set; }
    public ProvisioningState State { get; set; }
    public OperationalStatus OperationalStatus { get; set; }

    /// <summary>Incremented by every write (spec or status); the ETag and the optimistic concurrency token.</summary>
    public long ResourceVersion { get; set; }

    public DateTime CreatedAt { get; set; }
    public required HostSpec Spec { get; set; }

    /// <summary>The BMC password, protected with ASP.NET Data Protection. Never leaves the daemon.</summary>
    public string? BmcPasswordProtected { get; set; }

    public required HostStatus Status { get; set; }

    /// <summary>Work under way (agent command, soft power-off), so a restarted daemon polls it instead of restarting it.</summary>
    public HostOperation? Operation { get; set; }

    /// <summary>Set by DELETE; the state machine powers the host off and removes the row.</summary>
    public DateTime? DeletionRequestedAt { get; set; }

    /// <summary>Operator actions waiting for the reconciler (POST …/actions/*).</summary>
    public DateTime? RebootRequestedAt { get; set; }
    public DateTime? InspectRequestedAt { get; set; }
    public bool Detached { get; set; }

    /// <summary>When the sweep should enqueue a reconcile for this host again (UTC).</summary>
    public DateTime? NextReconcileAt { get; set; }

    /// <summary>The host lease: which daemon acts on the host, and until when.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }

    public List<HostLabel> Labels { get; set; } = [];
}

/// <summary>Labels are rows, not JSON, so a label selector is an indexed query on both providers.</summary>
public sealed class HostLabel
{
    public Guid HostId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
