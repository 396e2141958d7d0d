using Metal3.Core.Provisioning;

namespace Metal3.Server.Watch;

/// <summary>One change as the watch API sends it: its change id, ADDED, MODIFIED or DELETED, and the host.</summary>
/// <param name="AddedAt">For a host created and changed within one read of the feed (sent as ADDED): the id of its
/// creation, so that a watch resumed after that id turns it back into MODIFIED; 0 otherwise.</param>
public sealed record WatchEvent(long Id, string Type, HostView Host, long AddedAt = 0);
