using Metal3.Core.HostSets;

namespace Metal3.Data.Entities;

/// <summary>
/// One row per host set. Its claims point back at it (<see cref="ClaimRecord.HostSetId"/>); its status is counted from
/// them when read, so it is never stale. Only <see cref="HostSetStore"/> writes it.
/// </summary>
public sealed class HostSetRecord
{
    public Guid Id { get; internal set; }
    public string Name { get; internal set; } = "";
    public DateTime CreatedAt { get; internal set; }

    /// <summary>Incremented by every write through the API; the ETag and an optimistic concurrency token.</summary>
    public long ResourceVersion { get; internal set; }

    /// <summary>
    /// Incremented by every write that creates or deletes the set's claims, and a concurrency token: such a write saves
    /// only if neither the spec nor the set's claims were changed (by a user, or another daemon's pass) since the set
    /// was read, so two daemons never make more claims than replicas, nor take down two replicas at once.
    /// </summary>
    public long ClaimsRevision { get; internal set; }

    public HostSetSpec Spec { get; internal set; } = null!;

    /// <summary>The hash of <c>Spec.Template</c>, kept with it (<see cref="HostSetTemplate.Hash"/>).</summary>
    public string TemplateHash { get; internal set; } = "";

    /// <summary>Set by DELETE: the set deletes its claims, and goes once the last one is released.</summary>
    public DateTime? DeletionRequestedAt { get; internal set; }
}
