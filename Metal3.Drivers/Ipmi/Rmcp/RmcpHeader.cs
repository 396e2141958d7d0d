namespace Metal3.Drivers.Ipmi.Rmcp;

/// <summary>
/// The 4-byte RMCP header that starts every IPMI-over-LAN datagram (ASF 2.0 §3.2.2.1, IPMI v2.0 §13.1.3).
/// <code>
///  0         1          2                3
/// +---------+----------+----------------+-----------------------------+
/// | version | reserved | sequence       | class (bit 7: ACK)          |
/// | 0x06    | 0x00     | 0xFF = no ACK  | 0x06 ASF, 0x07 IPMI         |
/// +---------+----------+----------------+-----------------------------+
/// </code>
/// </summary>
internal static class RmcpHeader
{
    public const int Length = 4;
    private const int VersionOffset = 0;
    private const int SequenceOffset = 2;
    private const int ClassOffset = 3;

    public const byte Version1_0 = 0x06;
    /// <summary>IPMI messages never ask for RMCP ACKs, so they carry sequence 0xFF (IPMI v2.0 §13.1.3).</summary>
    public const byte NoAckSequence = 0xFF;
    public const byte ClassAsf = 0x06;
    public const byte ClassIpmi = 0x07;
    private const byte AckBit = 0x80;

    public static void Write(Span<byte> destination, byte messageClass, byte sequence = NoAckSequence)
    {
        destination[VersionOffset] = Version1_0;
        destination[1] = 0;
        destination[SequenceOffset] = sequence;
        destination[ClassOffset] = messageClass;
    }

    /// <summary>Reads the header; false when the datagram is too short or not RMCP 1.0, or is an RMCP ACK.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out byte messageClass, out byte sequence)
    {
        messageClass = 0;
        sequence = 0;
        if (datagram.Length < Length || datagram[VersionOffset] != Version1_0 || (datagram[ClassOffset] & AckBit) != 0)
        {
            return false;
        }
        messageClass = datagram[ClassOffset];
        sequence = datagram[SequenceOffset];
        return true;
    }
}
