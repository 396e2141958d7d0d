using System.Buffers.Binary;
using System.Text;

namespace Metal3.Pxe.Tftp;

/// <summary>
/// Pure encoders and decoders for TFTP packets (RFC 1350 §5, RFC 2347 §2):
/// <code>
///  RRQ/WRQ   | 01/02 | Filename | 0 | Mode | 0 | opt1 | 0 | value1 | 0 | ...
///  DATA      | 03    | Block #  | Data (0..blksize bytes)
///  ACK       | 04    | Block #  |
///  ERROR     | 05    | ErrorCode | ErrMsg | 0 |
///  OACK      | 06    | opt1 | 0 | value1 | 0 | ...
///  (opcode, block # and error code are 2 bytes, big-endian)
/// </code>
/// </summary>
public static class TftpPacket
{
    public const int OpcodeOffset = 0;
    public const int BlockOffset = 2;
    public const int ErrorCodeOffset = 2;
    public const int DataOffset = 4;
    public const int HeaderLength = 4;

    public static TftpParseError TryParseOpcode(ReadOnlySpan<byte> packet, out TftpOpcode opcode)
    {
        opcode = 0;
        if (packet.Length < 2)
        {
            return TftpParseError.TooShort;
        }
        ushort op = BinaryPrimitives.ReadUInt16BigEndian(packet);
        if (op is < 1 or > 6)
        {
            return TftpParseError.UnknownOpcode;
        }
        opcode = (TftpOpcode)op;
        return TftpParseError.None;
    }

    public static TftpParseError TryParseRequest(ReadOnlySpan<byte> packet, out TftpRequest request)
    {
        request = null!;
        var error = TryParseOpcode(packet, out var opcode);
        if (error != TftpParseError.None)
        {
            return error;
        }
        if (opcode is not (TftpOpcode.ReadRequest or TftpOpcode.WriteRequest))
        {
            return TftpParseError.UnknownOpcode;
        }
        var rest = packet[2..];
        var strings = new List<string>();
        while (!rest.IsEmpty)
        {
            int zero = rest.IndexOf((byte)0);
            if (zero < 0)
            {
                return TftpParseError.Unterminated;
            }
            strings.Add(Encoding.ASCII.GetString(rest[..zero]));
            rest = rest[(zero + 1)..];
        }
        if (strings.Count < 2)
        {
            return TftpParseError.Unterminated;
        }
        if (strings.Count % 2 != 0)
        {
            return TftpParseError.OddOptions;
        }
        var options = new List<KeyValuePair<string, string>>();
        for (int i = 2; i < strings.Count; i += 2)
        {
            options.Add(new(strings[i].ToLowerInvariant(), strings[i + 1]));
        }
        request = new TftpRequest(opcode, strings[0], strings[1].ToLowerInvariant(), options);
        return TftpParseError.None;
    }

    /// <summary>ACK: the block number, or a parse error.</summary>
    public static TftpParseError TryParseAck(ReadOnlySpan<byte> packet, out ushort block)
    {
        block = 0;
        if (packet.Length < HeaderLength)
        {
            return TftpParseError.TooShort;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(packet) != (ushort)TftpOpcode.Ack)
        {
            return TftpParseError.UnknownOpcode;
        }
        block = BinaryPrimitives.ReadUInt16BigEndian(packet[BlockOffset..]);
        return TftpParseError.None;
    }

    public static TftpParseError TryParseError(ReadOnlySpan<byte> packet, out TftpErrorCode code, out string message)
    {
        code = 0;
        message = "";
        if (packet.Length < HeaderLength)
        {
            return TftpParseError.TooShort;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(packet) != (ushort)TftpOpcode.Error)
        {
            return TftpParseError.UnknownOpcode;
        }
        code = (TftpErrorCode)BinaryPrimitives.ReadUInt16BigEndian(packet[ErrorCodeOffset..]);
        var text = packet[HeaderLength..];
        int zero = text.IndexOf((byte)0);
        message = Encoding.ASCII.GetString(zero < 0 ? text : text[..zero]);
        return TftpParseError.None;
    }

    /// <summary>Writes the 4-byte DATA header; the caller puts the payload at <see cref="DataOffset"/>.</summary>
    public static void WriteDataHeader(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Data);
        BinaryPrimitives.WriteUInt16BigEndian(destination[BlockOffset..], block);
    }

    public static int WriteAck(Span<byte> destination, ushort block)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Ack);
        BinaryPrimitives.WriteUInt16BigEndian(destination[BlockOffset..], block);
        return HeaderLength;
    }

    public static int WriteError(Span<byte> destination, TftpErrorCode code, string message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.Error);
        BinaryPrimitives.WriteUInt16BigEndian(destination[ErrorCodeOffset..], (ushort)code);
        int n = Encoding.ASCII.GetBytes(message, destination[HeaderLength..]);
        destination[HeaderLength + n] = 0;
        return HeaderLength + n + 1;
    }

    public static int WriteOptionAck(Span<byte> destination, IEnumerable<KeyValuePair<string, string>> options)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)TftpOpcode.OptionAck);
        int i = 2;
        foreach (var (name, value) in options)
        {
            i += Encoding.ASCII.GetBytes(name, destination[i..]);
            destination[i++] = 0;
            i += Encoding.ASCII.GetBytes(value, destination[i..]);
            destination[i++] = 0;
        }
        return i;
    }

    public static int WriteRequest(Span<byte> destination, TftpRequest request) =>
        WriteStrings(destination, request.Opcode, [request.FileName, request.Mode, .. request.Options.SelectMany(o => new[] { o.Key, o.Value })]);

    private static int WriteStrings(Span<byte> destination, TftpOpcode opcode, IEnumerable<string> strings)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)opcode);
        int i = 2;
        foreach (var s in strings)
        {
            i += Encoding.ASCII.GetBytes(s, destination[i..]);
            destination[i++] = 0;
        }
        return i;
    }
}
