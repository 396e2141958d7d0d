namespace Metal3.Pxe;

/// <summary><c>Metal3:Pxe:Tftp:*</c>.</summary>
public sealed record TftpOptions
{
    /// <summary><c>Metal3:Pxe:Tftp:Root</c>: files are served from here only. Debian's ipxe package installs to /usr/lib/ipxe.</summary>
    public string Root { get; init; } = "/usr/lib/ipxe";
    public int Port { get; init; } = 69;
    /// <summary>RFC 2349 default timeout when the client does not ask for one, or asks for more than <see cref="MaxTimeoutSeconds"/>.</summary>
    public int TimeoutSeconds { get; init; } = 1;
    /// <summary>
    /// The largest RFC 2349 timeout we acknowledge. The RFC allows 255 s, and with the retries a request that nobody
    /// answers (a spoofed one) would hold its transfer for about 25 minutes; a request for more is answered without
    /// the option, at <see cref="TimeoutSeconds"/>.
    /// </summary>
    public int MaxTimeoutSeconds { get; init; } = 5;
    public int MaxRetries { get; init; } = 5;
    /// <summary>
    /// A transfer whose client acknowledges nothing new for this long is dropped, whatever the retries and timeout
    /// would still allow: the bound on how long a silent client holds a slot.
    /// </summary>
    public int IdleTimeoutSeconds { get; init; } = 15;
    /// <summary>Upper bound on the RFC 2348 blksize we accept (the RFC allows 65464; 1468 fits a 1500-byte MTU).</summary>
    public int MaxBlockSize { get; init; } = 65464;
    /// <summary>Upper bound on the RFC 7440 windowsize we accept.</summary>
    public int MaxWindowSize { get; init; } = 64;
    public int MaxSessions { get; init; } = 1024;
    /// <summary>
    /// <c>Metal3:Pxe:Tftp:MaxSessionsPerClient</c>: concurrent transfers one source address may hold, so that one
    /// address cannot take every slot. A booting machine reads one file at a time (OVMF two: its size probe, then the
    /// file); eight leave room for retries behind NAT or a relay.
    /// </summary>
    public int MaxSessionsPerClient { get; init; } = 8;
}
