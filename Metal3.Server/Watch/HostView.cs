using Metal3.Core.Provisioning;

namespace Metal3.Server.Watch;

/// <summary>
/// A host as a watcher sees it: its JSON exactly as <c>GET /api/v1/hosts/{name}</c> returns it, and what filters look at.
/// <see cref="Labels"/> and <see cref="State"/> are null when unknown (a deletion of a host this daemon never loaded).
/// <see cref="ReaderJson"/> is the same without <c>userData</c>, for reader tokens; null when there is none to hide.
/// </summary>
public sealed record HostView(
    Guid HostId,
    string Name,
    long ResourceVersion,
    IReadOnlyDictionary<string, string>? Labels,
    ProvisioningState? State,
    string Json,
    string? ReaderJson = null)
{
    public string JsonFor(bool seesUserData) => seesUserData ? Json : ReaderJson ?? Json;
}
