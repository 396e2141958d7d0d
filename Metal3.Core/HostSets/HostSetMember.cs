using Metal3.Core.Claims;

namespace Metal3.Core.HostSets;

/// <summary>One claim of a host set, as the set's plan needs to see it.</summary>
public sealed record HostSetMember(Guid Id, string Name, ClaimPhase Phase, DateTime CreatedAt, string? TemplateHash)
{
    /// <summary>Serving: its host runs the image. Every other claim of the set counts as unavailable.</summary>
    public bool IsReady => Phase == ClaimPhase.Provisioned;

    /// <summary>Deleted claims still release their host, but no longer count as replicas.</summary>
    public bool IsReleasing => Phase == ClaimPhase.Releasing;
}
