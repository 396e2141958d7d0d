using System.Buffers.Binary;
using System.Security.Cryptography;
using Metal3.Drivers.Ipmi.Crypto;

namespace Metal3.Drivers.Ipmi.Rmcp;

/// <summary>
/// The IPMI session wrappers that follow the RMCP header (IPMI v2.0 §13.6, Table 13-8).
/// <code>
/// IPMI v1.5, session-less (auth type 0x00), used for Get Channel Authentication Capabilities:
///   RMCP (4) | auth type 0x00 (1) | session seq (4) | session id (4) | message length (1) | IPMI message
///
/// IPMI v2.0 / RMCP+ (auth type/format 0x06):
///   RMCP (4) | 0x06 (1) | payload type (1: bit 7 encrypted, bit 6 authenticated, 5:0 type)
///            | session id (4, LE) | session seq (4, LE) | payload length (2, LE) | payload
///            [ if authenticated: integrity pad 0xFF.. (to a multiple of 4 counted from the auth type byte)
///              | pad length (1) | next header 0x07 (1) | AuthCode (12 or 16) ]
/// </code>
/// The AuthCode is the integrity HMAC (key K1) over everything from the auth type byte to the next header byte.
/// </summary>
internal static class SessionPacketCodec
{
    /// <summary>Largest datagram we accept; IPMI messages are small (a LAN message is at most ~ 100 bytes here).</summary>
    public const int MaxDatagram = 1024;

    private const byte AuthTypeNone = 0x00;
    private const byte AuthTypeRmcpPlus = 0x06;
    private const byte EncryptedBit = 0x80;
    private const byte AuthenticatedBit = 0x40;
    private const byte PayloadTypeMask = 0x3F;
    private const byte NextHeaderIpmi = 0x07;

    // v1.5 offsets
    private const int V15AuthTypeOffset = RmcpHeader.Length;
    private const int V15SequenceOffset = V15AuthTypeOffset + 1;
    private const int V15SessionIdOffset = V15SequenceOffset + 4;
    private const int V15LengthOffset = V15SessionIdOffset + 4;
    private const int V15MessageOffset = V15LengthOffset + 1;

    // v2.0 offsets
    private const int AuthTypeOffset = RmcpHeader.Length;
    private const int PayloadTypeOffset = AuthTypeOffset + 1;
    private const int SessionIdOffset = PayloadTypeOffset + 1;
    private const int SequenceOffset = SessionIdOffset + 4;
    private const int PayloadLengthOffset = SequenceOffset + 4;
    private const int PayloadOffset = PayloadLengthOffset + 2;

    /// <summary>Writes a session-less IPMI v1.5 packet around an IPMI message.</summary>
    public static byte[] WriteV15SessionLess(ReadOnlySpan<byte> message)
    {
        var packet = new byte[V15MessageOffset + message.Length];
        RmcpHeader.Write(packet, RmcpHeader.ClassIpmi);
        packet[V15AuthTypeOffset] = AuthTypeNone; // sequence and session id stay 0
        packet[V15LengthOffset] = checked((byte)message.Length);
        message.CopyTo(packet.AsSpan(V15MessageOffset));
        return packet;
    }

    /// <summary>Writes an unauthenticated v2.0 packet (Open Session, RAKP 1/3, or session-less IPMI messages).</summary>
    public static byte[] WriteV20Plain(PayloadType type, uint sessionId, uint sequence, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[PayloadOffset + payload.Length];
        WriteV20Header(packet, (byte)type, sessionId, sequence, payload.Length);
        payload.CopyTo(packet.AsSpan(PayloadOffset));
        return packet;
    }

    /// <summary>
    /// Writes an encrypted and signed v2.0 packet of an established session. <paramref name="iv"/> is the AES IV
    /// (random for every packet on the wire; fixed in tests).
    /// </summary>
    public static byte[] WriteV20Secure(
        SessionKeys keys, PayloadType type, uint sessionId, uint sequence, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> iv)
    {
        byte[] encrypted = AesCbc128.Encrypt(keys.AesKey, iv, payload);
        int signedLength = 1 + 1 + 4 + 4 + 2 + encrypted.Length + 2; // auth type .. next header, before pad
        int pad = (4 - signedLength % 4) % 4;
        int authCodeOffset = PayloadOffset + encrypted.Length + pad + 2;
        var packet = new byte[authCodeOffset + keys.Suite.IntegrityLength];
        WriteV20Header(packet, (byte)((byte)type | EncryptedBit | AuthenticatedBit), sessionId, sequence, encrypted.Length);
        encrypted.CopyTo(packet.AsSpan(PayloadOffset));
        int at = PayloadOffset + encrypted.Length;
        packet.AsSpan(at, pad).Fill(0xFF);
        packet[at + pad] = (byte)pad;
        packet[at + pad + 1] = NextHeaderIpmi;
        Span<byte> mac = stackalloc byte[32];
        keys.Suite.IntegrityHmac(keys.K1, packet.AsSpan(AuthTypeOffset, authCodeOffset - AuthTypeOffset), mac);
        mac[..keys.Suite.IntegrityLength].CopyTo(packet.AsSpan(authCodeOffset));
        return packet;
    }

    private static void WriteV20Header(Span<byte> packet, byte payloadType, uint sessionId, uint sequence, int payloadLength)
    {
        RmcpHeader.Write(packet, RmcpHeader.ClassIpmi);
        packet[AuthTypeOffset] = AuthTypeRmcpPlus;
        packet[PayloadTypeOffset] = payloadType;
        BinaryPrimitives.WriteUInt32LittleEndian(packet[SessionIdOffset..], sessionId);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(packet[PayloadLengthOffset..], checked((ushort)payloadLength));
    }

    /// <summary>
    /// Parses any IPMI datagram: v1.5 session-less, v2.0 plain, or v2.0 signed/encrypted when <paramref name="keys"/> are
    /// given. Never throws; a datagram it cannot trust gives an error and no packet.
    /// </summary>
    public static PacketError TryParse(ReadOnlySpan<byte> datagram, SessionKeys? keys, out SessionPacket? packet)
    {
        packet = null;
        if (datagram.Length > MaxDatagram)
        {
            return PacketError.Oversized;
        }
        if (!RmcpHeader.TryRead(datagram, out byte cls, out _))
        {
            return datagram.Length < RmcpHeader.Length ? PacketError.Truncated : PacketError.NotRmcp;
        }
        if (cls != RmcpHeader.ClassIpmi)
        {
            return PacketError.NotIpmi;
        }
        if (datagram.Length <= AuthTypeOffset)
        {
            return PacketError.Truncated;
        }
        return datagram[AuthTypeOffset] switch
        {
            AuthTypeNone => ParseV15(datagram, out packet),
            AuthTypeRmcpPlus => ParseV20(datagram, keys, out packet),
            // v1.5 MD2/MD5/password sessions: not spoken here (RMCP+ only).
            _ => PacketError.UnsupportedFormat,
        };
    }

    private static PacketError ParseV15(ReadOnlySpan<byte> datagram, out SessionPacket? packet)
    {
        packet = null;
        if (datagram.Length < V15MessageOffset)
        {
            return PacketError.Truncated;
        }
        int length = datagram[V15LengthOffset];
        if (datagram.Length < V15MessageOffset + length)
        {
            return PacketError.Truncated;
        }
        packet = new SessionPacket(
            IsV20: false,
            PayloadType.Ipmi,
            Encrypted: false,
            Authenticated: false,
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[V15SessionIdOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[V15SequenceOffset..]),
            datagram.Slice(V15MessageOffset, length).ToArray());
        return PacketError.None;
    }

    private static PacketError ParseV20(ReadOnlySpan<byte> datagram, SessionKeys? keys, out SessionPacket? packet)
    {
        packet = null;
        if (datagram.Length < PayloadOffset)
        {
            return PacketError.Truncated;
        }
        byte typeByte = datagram[PayloadTypeOffset];
        var type = (PayloadType)(typeByte & PayloadTypeMask);
        if (type == PayloadType.Oem)
        {
            return PacketError.UnsupportedFormat; // OEM explicit payloads carry 6 more header bytes; we never ask for them
        }
        bool encrypted = (typeByte & EncryptedBit) != 0;
        bool authenticated = (typeByte & AuthenticatedBit) != 0;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(datagram[PayloadLengthOffset..]);
        if (datagram.Length < PayloadOffset + length)
        {
            return PacketError.Truncated;
        }
        ReadOnlySpan<byte> payload = datagram.Slice(PayloadOffset, length);
        if (authenticated)
        {
            if (keys is null)
            {
                return PacketError.Unauthenticated; // signed, but we hold no session that could check it
            }
            PacketError integrity = CheckIntegrity(datagram, PayloadOffset + length, keys);
            if (integrity != PacketError.None)
            {
                return integrity;
            }
        }
        else if (datagram.Length != PayloadOffset + length)
        {
            return PacketError.LengthMismatch;
        }
        byte[] plain;
        if (encrypted)
        {
            if (keys is null || !authenticated)
            {
                return PacketError.Unauthenticated; // we only accept encryption inside a signed session
            }
            if (!AesCbc128.TryDecrypt(keys.AesKey, payload, out plain, out _))
            {
                return PacketError.BadConfidentiality;
            }
        }
        else
        {
            plain = payload.ToArray();
        }
        packet = new SessionPacket(
            IsV20: true, type, encrypted, authenticated,
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[SessionIdOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[SequenceOffset..]),
            plain);
        return PacketError.None;
    }

    /// <summary>Checks the session trailer: 0xFF pad to a multiple of 4, pad length, next header 0x07, AuthCode.</summary>
    private static PacketError CheckIntegrity(ReadOnlySpan<byte> datagram, int trailerOffset, SessionKeys keys)
    {
        int authCodeLength = keys.Suite.IntegrityLength;
        int authCodeOffset = datagram.Length - authCodeLength;
        // pad length and next header sit just before the AuthCode
        if (authCodeOffset - 2 < trailerOffset)
        {
            return PacketError.Truncated;
        }
        int pad = datagram[authCodeOffset - 2];
        if (datagram[authCodeOffset - 1] != NextHeaderIpmi || trailerOffset + pad + 2 != authCodeOffset
            || (authCodeOffset - AuthTypeOffset) % 4 != 0)
        {
            return PacketError.LengthMismatch;
        }
        Span<byte> mac = stackalloc byte[32];
        keys.Suite.IntegrityHmac(keys.K1, datagram[AuthTypeOffset..authCodeOffset], mac);
        return CryptographicOperations.FixedTimeEquals(mac[..authCodeLength], datagram[authCodeOffset..])
            ? PacketError.None
            : PacketError.IntegrityMismatch;
    }
}
