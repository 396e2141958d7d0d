namespace Metal3.Pxe.Dhcp;

/// <summary>BOOTP op field (RFC 951): every DHCP client message is a request, every server message a reply.</summary>
public enum BootpOp : byte
{
    BootRequest = 1,
    BootReply   = 2,
}
