namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>
/// The two session-less questions asked before a session: Get Channel Authentication Capabilities (App 38h,
/// IPMI v2.0 §22.13) and Get Channel Cipher Suites (App 54h, §22.15).
/// </summary>
internal static class ChannelCommands
{
    /// <summary>Channel 0Eh means "the channel this request arrived on".</summary>
    public const byte CurrentChannel = 0x0E;
    /// <summary>Bit 7 of the channel byte asks for the IPMI v2.0 extended data.</summary>
    private const byte GetExtendedData = 0x80;
    /// <summary>Bit 7 of the list index byte: list algorithms by cipher suite.</summary>
    private const byte ListByCipherSuite = 0x80;
    private const byte StandardRecordStart = 0xC0;
    private const byte OemRecordStart = 0xC1;
    /// <summary>Cipher suite records come 16 bytes per response; a shorter block is the last one.</summary>
    public const int CipherSuiteBlockLength = 16;
    /// <summary>Index is 6 bits: at most 64 blocks of 16 bytes.</summary>
    public const int MaxCipherSuiteBlocks = 64;

    // Get Channel Authentication Capabilities request: channel (with bit 7) | requested max privilege
    public static byte[] AuthCapabilitiesRequest(byte privilege) => [CurrentChannel | GetExtendedData, privilege];

    // Response data: channel | auth type support (bit 7: v2.0 extended capabilities) | flags
    //              | extended capabilities (bit 1: IPMI v2.0 connections) | OEM ID (3) | OEM aux
    public static bool TryParseAuthCapabilities(ReadOnlySpan<byte> data, out ChannelAuthCapabilities? caps, out string error)
    {
        caps = null;
        if (data.Length < 8)
        {
            error = $"Get Channel Authentication Capabilities response of {data.Length} bytes is truncated";
            return false;
        }
        bool extended = (data[1] & 0x80) != 0;
        caps = new ChannelAuthCapabilities(data[0], extended && (data[3] & 0x02) != 0);
        error = "";
        return true;
    }

    // Get Channel Cipher Suites request: channel | payload type (0 = IPMI) | list index (bit 7: list by suite)
    public static byte[] CipherSuitesRequest(byte index) => [CurrentChannel, 0x00, (byte)(ListByCipherSuite | (index & 0x3F))];

    /// <summary>Response data: channel | up to 16 bytes of the cipher suite record list. Returns the record bytes.</summary>
    public static bool TryParseCipherSuitesBlock(ReadOnlySpan<byte> data, out byte[] records, out string error)
    {
        records = [];
        if (data.Length < 1 || data.Length > 1 + CipherSuiteBlockLength)
        {
            error = $"Get Channel Cipher Suites response of {data.Length} bytes is malformed";
            return false;
        }
        records = data[1..].ToArray();
        error = "";
        return true;
    }

    /// <summary>
    /// Cipher suite IDs from the concatenated record list (Table 22-18): a standard record is C0h | suite id | algorithms,
    /// an OEM record is C1h | suite id | OEM IANA (3) | algorithms. Algorithm bytes have bit 7 or bit 6 set, which is how
    /// the end of a record is found.
    /// </summary>
    public static IReadOnlyList<byte> CipherSuiteIds(ReadOnlySpan<byte> records)
    {
        var ids = new List<byte>();
        int i = 0;
        while (i < records.Length)
        {
            byte start = records[i];
            if (start is not (StandardRecordStart or OemRecordStart) || i + 1 >= records.Length)
            {
                i++;
                continue;
            }
            if (start == StandardRecordStart)
            {
                ids.Add(records[i + 1]);
            }
            i += start == OemRecordStart ? 5 : 2;
            while (i < records.Length && records[i] is not (StandardRecordStart or OemRecordStart))
            {
                i++;
            }
        }
        return ids;
    }
}
