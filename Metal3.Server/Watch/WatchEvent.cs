using Metal3.Core.Provisioning;

namespace Metal3.Server.Watch;

/// <summary>One change as the watch API sends it: its change id, ADDED, MODIFIED or DELETED, and the host.</summary>
public sealed record WatchEvent(long Id, string Type, HostView Host);
