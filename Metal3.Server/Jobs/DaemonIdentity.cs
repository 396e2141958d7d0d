namespace Metal3.Server.Jobs;

/// <summary>Who this daemon is, as lease owner and event actor: host name, process id and a random part.</summary>
public sealed class DaemonIdentity
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}
