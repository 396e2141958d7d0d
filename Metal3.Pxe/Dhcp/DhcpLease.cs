using System.Net;

namespace Metal3.Pxe.Dhcp;

public sealed record DhcpLease(IPAddress Address, string ClientKey, string? Mac, LeaseState State, DateTimeOffset ExpiresAt);
