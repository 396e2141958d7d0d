namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>
/// IPMI messages as carried over LAN (IPMI v2.0 §13.8, Figure 13-4), with two 2's-complement checksums.
/// <code>
/// Request:  rsAddr | netFn(7:2) rsLUN(1:0) | chk1 | rqAddr | rqSeq(7:2) rqLUN(1:0) | cmd | data.. | chk2
/// Response: rqAddr | netFn(7:2) rqLUN(1:0) | chk1 | rsAddr | rqSeq(7:2) rsLUN(1:0) | cmd | completion code | data.. | chk2
/// </code>
/// chk1 covers the first two bytes; chk2 covers from the third address byte up to the data.
/// </summary>
internal static class IpmiLanMessage
{
    /// <summary>The BMC's slave address, 20h (IPMI v2.0 §5.5, as ipmitool and both simulators use).</summary>
    public const byte BmcAddress = 0x20;
    /// <summary>Remote console software ID (IPMI v2.0 §5.5: 81h, as ipmitool uses).</summary>
    public const byte RemoteConsoleAddress = 0x81;
    public const int RequestOverhead = 7;
    private const int MinResponseLength = 8; // 7 + completion code
    private const int NetFnOffset = 1;
    private const int Checksum1Offset = 2;
    private const int SecondAddressOffset = 3;
    private const int SequenceOffset = 4;
    private const int CommandOffset = 5;
    private const int DataOffset = 6; // requests: data; responses: completion code

    public static byte[] WriteRequest(NetFn netFn, byte command, byte sequence, ReadOnlySpan<byte> data)
    {
        var m = new byte[RequestOverhead + data.Length];
        m[0] = BmcAddress;
        m[NetFnOffset] = (byte)((byte)netFn << 2); // LUN 0
        m[Checksum1Offset] = Checksum(m.AsSpan(0, 2));
        m[SecondAddressOffset] = RemoteConsoleAddress;
        m[SequenceOffset] = (byte)((sequence & 0x3F) << 2);
        m[CommandOffset] = command;
        data.CopyTo(m.AsSpan(DataOffset));
        m[^1] = Checksum(m.AsSpan(SecondAddressOffset, m.Length - 1 - SecondAddressOffset));
        return m;
    }

    public static bool TryParseResponse(ReadOnlySpan<byte> m, out IpmiResponse? response, out string error)
    {
        response = null;
        if (m.Length < MinResponseLength)
        {
            error = $"IPMI response of {m.Length} bytes is shorter than the minimum {MinResponseLength}";
            return false;
        }
        if (Checksum(m[..2]) != m[Checksum1Offset])
        {
            error = "IPMI header checksum mismatch";
            return false;
        }
        if (Checksum(m[SecondAddressOffset..^1]) != m[^1])
        {
            error = "IPMI data checksum mismatch";
            return false;
        }
        int netFn = m[NetFnOffset] >> 2;
        if ((netFn & 1) == 0)
        {
            error = $"IPMI message has request netFn 0x{netFn:X2}, expected a response";
            return false;
        }
        response = new IpmiResponse(
            (NetFn)(netFn - 1),
            m[CommandOffset],
            (byte)(m[SequenceOffset] >> 2),
            m[DataOffset],
            m[(DataOffset + 1)..^1].ToArray());
        error = "";
        return true;
    }

    /// <summary>2's complement checksum: the bytes plus the checksum sum to 0 mod 256.</summary>
    public static byte Checksum(ReadOnlySpan<byte> bytes)
    {
        byte sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }
        return (byte)-sum;
    }
}
