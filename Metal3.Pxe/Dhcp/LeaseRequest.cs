using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <param name="ClientKey">RFC 2131 §4.2: option 61 if sent, else htype + chaddr; hex, the lease's owner.</param>
/// <param name="Mac">The client's MAC (for reservations), if its hardware is Ethernet.</param>
/// <param name="Requested">Option 50 (or ciaddr when renewing), if any.</param>
public sealed record LeaseRequest(string ClientKey, string? Mac, IPAddress? Requested, DhcpPool Pool);
