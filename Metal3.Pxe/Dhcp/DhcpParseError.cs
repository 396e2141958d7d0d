namespace Metal3.Pxe.Dhcp;

/// <summary>Why a datagram is not a DHCP message. A value, never an exception: the receive loop just drops it.</summary>
public enum DhcpParseError
{
    None,
    /// <summary>Shorter than the 236-byte fixed header plus the 4-byte magic cookie.</summary>
    TooShort,
    BadOp,
    /// <summary>hlen larger than the 16-byte chaddr field.</summary>
    BadHardwareLength,
    BadMagicCookie,
    /// <summary>An option's length runs past the end of its area.</summary>
    TruncatedOption,
    /// <summary>Option 52 is malformed or appears inside an overloaded field.</summary>
    BadOverload,
}
