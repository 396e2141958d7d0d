using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// RFC 2131 §2, figure 1, the DHCP message, then the magic cookie 99.130.83.99 and the options (RFC 2132):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------+---------------+---------------+---------------+
/// |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
/// +---------------+---------------+---------------+---------------+
/// |                            xid (4)                            |
/// +-------------------------------+-------------------------------+
/// |           secs (2)            |           flags (2)           |
/// +-------------------------------+-------------------------------+
/// |                          ciaddr  (4)                          |
/// |                          yiaddr  (4)                          |
/// |                          siaddr  (4)                          |
/// |                          giaddr  (4)                          |
/// +---------------------------------------------------------------+
/// |                          chaddr  (16)                         |
/// |                          sname   (64)                         |
/// |                          file    (128)                        |
/// +---------------------------------------------------------------+
/// |                          options (variable)                   |
/// +---------------------------------------------------------------+
/// </code>
/// </summary>
public static class DhcpCodec
{
    public const int OpOffset = 0;
    public const int HtypeOffset = 1;
    public const int HlenOffset = 2;
    public const int HopsOffset = 3;
    public const int XidOffset = 4;
    public const int SecsOffset = 8;
    public const int FlagsOffset = 10;
    public const int CiaddrOffset = 12;
    public const int YiaddrOffset = 16;
    public const int SiaddrOffset = 20;
    public const int GiaddrOffset = 24;
    public const int ChaddrOffset = 28;
    public const int ChaddrLength = 16;
    public const int SnameOffset = 44;
    public const int SnameLength = 64;
    public const int FileOffset = 108;
    public const int FileLength = 128;
    public const int CookieOffset = 236;
    public const int OptionsOffset = 240;
    public const uint MagicCookie = 0x63825363;   // RFC 2131 §3
    /// <summary>RFC 1542 §3.2.1: BOOTP relays may drop anything shorter than 300 bytes, so replies are padded to it.</summary>
    public const int MinimumBootpLength = 300;

    // Option 52 values (RFC 2132 §9.3).
    private const byte OverloadFile = 1;
    private const byte OverloadSname = 2;

    public static DhcpParseError TryParse(ReadOnlySpan<byte> datagram, out DhcpMessage message)
    {
        message = null!;
        if (datagram.Length < OptionsOffset)
        {
            return DhcpParseError.TooShort;
        }
        byte op = datagram[OpOffset];
        if (op is not ((byte)BootpOp.BootRequest or (byte)BootpOp.BootReply))
        {
            return DhcpParseError.BadOp;
        }
        if (datagram[HlenOffset] > ChaddrLength)
        {
            return DhcpParseError.BadHardwareLength;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[CookieOffset..]) != MagicCookie)
        {
            return DhcpParseError.BadMagicCookie;
        }

        var options = new List<DhcpOptionValue>();
        var error = ReadOptions(datagram[OptionsOffset..], options, allowOverload: true);
        if (error != DhcpParseError.None)
        {
            return error;
        }
        // RFC 2132 §9.3 / RFC 3396 §5: with option 52, file then sname carry more options, read in that order.
        byte overload = 0;
        if (Index(options, DhcpOption.OptionOverload) is int oi)
        {
            if (options[oi].Data is not [var v] || v is < 1 or > 3)
            {
                return DhcpParseError.BadOverload;
            }
            overload = v;
            if ((overload & OverloadFile) != 0 &&
                ReadOptions(datagram.Slice(FileOffset, FileLength), options, allowOverload: false) is var fe and not DhcpParseError.None)
            {
                return fe;
            }
            if ((overload & OverloadSname) != 0 &&
                ReadOptions(datagram.Slice(SnameOffset, SnameLength), options, allowOverload: false) is var se and not DhcpParseError.None)
            {
                return se;
            }
        }

        message = new DhcpMessage
        {
            Op = (BootpOp)op,
            HardwareType = datagram[HtypeOffset],
            HardwareLength = datagram[HlenOffset],
            Hops = datagram[HopsOffset],
            TransactionId = BinaryPrimitives.ReadUInt32BigEndian(datagram[XidOffset..]),
            Seconds = BinaryPrimitives.ReadUInt16BigEndian(datagram[SecsOffset..]),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(datagram[FlagsOffset..]),
            ClientAddress = new IPAddress(datagram.Slice(CiaddrOffset, 4)),
            YourAddress = new IPAddress(datagram.Slice(YiaddrOffset, 4)),
            NextServer = new IPAddress(datagram.Slice(SiaddrOffset, 4)),
            RelayAgent = new IPAddress(datagram.Slice(GiaddrOffset, 4)),
            ClientHardwareAddress = datagram.Slice(ChaddrOffset, ChaddrLength).ToArray(),
            ServerName = (overload & OverloadSname) != 0 ? "" : CString(datagram.Slice(SnameOffset, SnameLength)),
            BootFile = (overload & OverloadFile) != 0 ? "" : CString(datagram.Slice(FileOffset, FileLength)),
            Options = options,
        };
        return DhcpParseError.None;
    }

    /// <summary>
    /// The message type (option 53) of a client's datagram without parsing it: no allocation, for deciding what to drop
    /// when the server is busy. Looks in the options field only (overloaded fields are not read); null when the datagram
    /// is not a well-formed BOOTREQUEST with option 53 there.
    /// </summary>
    public static DhcpMessageType? PeekMessageType(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < OptionsOffset || datagram[OpOffset] != (byte)BootpOp.BootRequest
            || BinaryPrimitives.ReadUInt32BigEndian(datagram[CookieOffset..]) != MagicCookie)
        {
            return null;
        }
        var area = datagram[OptionsOffset..];
        int i = 0;
        while (i < area.Length && area[i] != (byte)DhcpOption.End)
        {
            if (area[i] == (byte)DhcpOption.Pad)
            {
                i++;
                continue;
            }
            if (i + 1 >= area.Length || i + 2 + area[i + 1] > area.Length)
            {
                return null;
            }
            if (area[i] == (byte)DhcpOption.MessageType)
            {
                return area[i + 1] == 1 ? (DhcpMessageType)area[i + 2] : null;
            }
            i += 2 + area[i + 1];
        }
        return null;
    }

    /// <summary>
    /// Reads code/length/value triples up to End (or the end of the area; RFC 2131 §4.1 lets a client omit End
    /// in practice). Repeated codes are concatenated into the first occurrence (RFC 3396 §7).
    /// </summary>
    private static DhcpParseError ReadOptions(ReadOnlySpan<byte> area, List<DhcpOptionValue> options, bool allowOverload)
    {
        int i = 0;
        while (i < area.Length)
        {
            byte code = area[i];
            if (code == (byte)DhcpOption.Pad)
            {
                i++;
                continue;
            }
            if (code == (byte)DhcpOption.End)
            {
                return DhcpParseError.None;
            }
            if (i + 1 >= area.Length || i + 2 + area[i + 1] > area.Length)
            {
                return DhcpParseError.TruncatedOption;
            }
            int length = area[i + 1];
            var value = area.Slice(i + 2, length);
            if (code == (byte)DhcpOption.OptionOverload && !allowOverload)
            {
                return DhcpParseError.BadOverload;
            }
            if (Index(options, (DhcpOption)code) is int existing)
            {
                options[existing] = options[existing] with { Data = [.. options[existing].Data, .. value] };
            }
            else
            {
                options.Add(new DhcpOptionValue((DhcpOption)code, value.ToArray()));
            }
            i += 2 + length;
        }
        return DhcpParseError.None;
    }

    private static int? Index(List<DhcpOptionValue> options, DhcpOption code)
    {
        for (int i = 0; i < options.Count; i++)
        {
            if (options[i].Code == code)
            {
                return i;
            }
        }
        return null;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>Bytes <see cref="Write"/> needs for this message before padding.</summary>
    public static int EncodedLength(DhcpMessage message)
    {
        int length = OptionsOffset + 1;   // + End
        foreach (var option in message.Options)
        {
            // RFC 3396 §6: a value longer than 255 bytes is split into several instances of the option.
            int chunks = Math.Max(1, (option.Data.Length + 254) / 255);
            length += (2 * chunks) + option.Data.Length;
        }
        return length;
    }

    /// <summary>
    /// Writes the message, options in their order, long options split per RFC 3396, then End, then zero padding
    /// up to <paramref name="minimumLength"/>. Returns the bytes written, or -1 when <paramref name="destination"/>
    /// is too small (the caller decides; the server never needs overload for the options it sends).
    /// </summary>
    public static int Write(DhcpMessage message, Span<byte> destination, int minimumLength = MinimumBootpLength)
    {
        int length = EncodedLength(message);
        int total = Math.Max(length, minimumLength);
        if (destination.Length < total)
        {
            return -1;
        }
        var d = destination[..total];
        d.Clear();
        d[OpOffset] = (byte)message.Op;
        d[HtypeOffset] = message.HardwareType;
        d[HlenOffset] = message.HardwareLength;
        d[HopsOffset] = message.Hops;
        BinaryPrimitives.WriteUInt32BigEndian(d[XidOffset..], message.TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(d[SecsOffset..], message.Seconds);
        BinaryPrimitives.WriteUInt16BigEndian(d[FlagsOffset..], message.Flags);
        message.ClientAddress.TryWriteBytes(d.Slice(CiaddrOffset, 4), out _);
        message.YourAddress.TryWriteBytes(d.Slice(YiaddrOffset, 4), out _);
        message.NextServer.TryWriteBytes(d.Slice(SiaddrOffset, 4), out _);
        message.RelayAgent.TryWriteBytes(d.Slice(GiaddrOffset, 4), out _);
        message.ClientHardwareAddress.AsSpan(0, Math.Min(ChaddrLength, message.ClientHardwareAddress.Length)).CopyTo(d[ChaddrOffset..]);
        Encoding.ASCII.GetBytes(Truncate(message.ServerName, SnameLength - 1), d.Slice(SnameOffset, SnameLength));
        Encoding.ASCII.GetBytes(Truncate(message.BootFile, FileLength - 1), d.Slice(FileOffset, FileLength));
        BinaryPrimitives.WriteUInt32BigEndian(d[CookieOffset..], MagicCookie);
        int i = OptionsOffset;
        foreach (var option in message.Options)
        {
            var data = option.Data.AsSpan();
            do
            {
                int chunk = Math.Min(255, data.Length);
                d[i++] = (byte)option.Code;
                d[i++] = (byte)chunk;
                data[..chunk].CopyTo(d[i..]);
                i += chunk;
                data = data[chunk..];
            }
            while (!data.IsEmpty);
        }
        d[i] = (byte)DhcpOption.End;
        return total;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
