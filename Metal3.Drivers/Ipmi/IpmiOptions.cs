using Metal3.Drivers.Ipmi.Messages;

namespace Metal3.Drivers.Ipmi;

/// <summary>Settings of the IPMI driver (configuration section <c>Metal3:Ipmi</c>).</summary>
public sealed record IpmiOptions
{
    /// <summary>Privilege asked for in RAKP and raised to after the session opens; power control needs OPERATOR or more.</summary>
    public IpmiPrivilege Privilege { get; init; } = IpmiPrivilege.Administrator;

    /// <summary>How long to wait for an answer before sending a message again (ipmitool's -N, 1 s by default).</summary>
    public TimeSpan RetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times one message is sent before the BMC counts as unreachable (ipmitool's -R + 1).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How many BMC operations run at once in this daemon.</summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary>An idle session gets a Get Device ID this often so the BMC does not expire it (BMCs drop idle sessions after ~60 s).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A session unused for this long is closed: BMCs have few session slots.</summary>
    public TimeSpan IdleSessionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Cipher suites we propose, best first. Only 17 and 3 exist here; 0 is never accepted.</summary>
    public IReadOnlyList<byte> CipherSuites { get; init; } = [17, 3];

    /// <summary>Sees every IPMI request in plain text just before it is encrypted; tests use it to check bits on the wire.</summary>
    internal Action<ReadOnlyMemory<byte>>? RequestObserver { get; init; }
}
