using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>A reply and where it goes.</summary>
public sealed record DhcpReply(DhcpMessage Message, IPEndPoint Destination);
