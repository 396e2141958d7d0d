namespace Metal3.Drivers.Ipmi.Rmcp;

/// <summary>Why a datagram was not accepted. Each one is logged at debug level and the datagram dropped.</summary>
internal enum PacketError
{
    None,
    Truncated,
    Oversized,
    NotRmcp,
    NotIpmi,
    UnsupportedFormat,
    LengthMismatch,
    Unauthenticated,
    IntegrityMismatch,
    BadConfidentiality,
}
