using Metal3.Core.Claims;

namespace Metal3.Data.Entities;

/// <summary>
/// One row per claim. The bound host is both <see cref="HostId"/> here and the host's consumerRef, written in one
/// transaction; a unique index on <see cref="HostId"/> keeps a host to one claim even if that were ever got wrong.
/// Only <see cref="ClaimStore"/> writes it.
/// </summary>
public sealed class ClaimRecord
{
    public Guid Id { get; internal set; }
    public string Name { get; internal set; } = "";

    /// <summary>Claims bind oldest first: by this, then by name.</summary>
    public DateTime CreatedAt { get; internal set; }

    /// <summary>Incremented by every write; the ETag and the optimistic concurrency token.</summary>
    public long ResourceVersion { get; internal set; }

    public ClaimSpec Spec { get; internal set; } = null!;
    public ClaimPhase Phase { get; internal set; }
    public Guid? HostId { get; internal set; }
    public string? HostName { get; internal set; }

    /// <summary>Why the claim is where it is (what it waits for, what it last did).</summary>
    public string? Message { get; internal set; }

    /// <summary>Set by DELETE; the claim is <see cref="ClaimPhase.Releasing"/> from then on.</summary>
    public DateTime? DeletionRequestedAt { get; internal set; }

    public List<ClaimLabel> Labels { get; internal set; } = [];

    /// <summary>The host set that made the claim and keeps it (null for a claim made by hand).</summary>
    public Guid? HostSetId { get; internal set; }

    /// <summary>The owning set's name, shown as <c>ownerSet</c> (a set's name is fixed, and free again only once its claims are gone).</summary>
    public string? HostSetName { get; internal set; }

    /// <summary>The hash of the set's template the claim was made from: a different one than the set's now makes it outdated.</summary>
    public string? TemplateHash { get; internal set; }
}
