using System.Buffers.Binary;

namespace Metal3.Drivers.Ipmi.Rmcp;

/// <summary>
/// ASF Presence Ping / Pong (ASF 2.0 §3.2.4.3), the one RMCP message that needs no session: it tells whether
/// anything speaks RMCP at an address, and whether it claims IPMI support.
/// <code>
/// RMCP header (class 0x06 ASF) | IANA 4542 (4, big endian) | message type (1) | tag (1) | reserved (1) | data length (1) | data
/// Ping: type 0x80, no data.   Pong: type 0x40, 16 bytes: IANA (4) | OEM (4) | supported entities (1) | interactions (1) | reserved (6)
/// </code>
/// </summary>
internal static class AsfPing
{
    public const uint AsfIana = 4542;
    public const byte PingType = 0x80;
    public const byte PongType = 0x40;
    public const int PingLength = RmcpHeader.Length + 8;
    private const int IanaOffset = RmcpHeader.Length;
    private const int TypeOffset = IanaOffset + 4;
    private const int TagOffset = TypeOffset + 1;
    private const int DataLengthOffset = TagOffset + 2;
    private const int DataOffset = DataLengthOffset + 1;
    private const int PongDataLength = 16;
    /// <summary>Supported entities, bit 7: "IPMI supported".</summary>
    private const byte IpmiSupportedBit = 0x80;

    /// <summary>Writes a ping with the given tag; the RMCP sequence must not be 0xFF so that the peer may ACK it.</summary>
    public static int WritePing(Span<byte> destination, byte tag)
    {
        RmcpHeader.Write(destination, RmcpHeader.ClassAsf, sequence: 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[IanaOffset..], AsfIana);
        destination[TypeOffset] = PingType;
        destination[TagOffset] = tag;
        destination[TagOffset + 1] = 0;
        destination[DataLengthOffset] = 0;
        return PingLength;
    }

    public static bool TryParsePong(ReadOnlySpan<byte> datagram, out byte tag, out bool ipmiSupported, out string error)
    {
        tag = 0;
        ipmiSupported = false;
        if (!RmcpHeader.TryRead(datagram, out byte cls, out _) || cls != RmcpHeader.ClassAsf)
        {
            error = "not an RMCP ASF message";
            return false;
        }
        if (datagram.Length < DataOffset + PongDataLength)
        {
            error = "truncated ASF pong";
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[IanaOffset..]) != AsfIana || datagram[TypeOffset] != PongType)
        {
            error = "ASF message is not a presence pong";
            return false;
        }
        if (datagram[DataLengthOffset] < PongDataLength)
        {
            error = "ASF pong data too short";
            return false;
        }
        tag = datagram[TagOffset];
        ipmiSupported = (datagram[DataOffset + 8] & IpmiSupportedBit) != 0;
        error = "";
        return true;
    }
}
