using System.Buffers.Binary;
using Metal3.Drivers.Ipmi.Crypto;

namespace Metal3.Drivers.Ipmi.Rakp;

/// <summary>
/// RMCP+ Open Session Request / Response (IPMI v2.0 §13.17, §13.18).
/// <code>
/// Request (32):  tag | max privilege (0 = highest the algorithms allow) | reserved (2) | console session id (4, LE)
///              | auth payload | integrity payload | confidentiality payload
/// Response (36): tag | status | max privilege | reserved | console session id (4) | managed session id (4)
///              | auth payload | integrity payload | confidentiality payload
/// Each algorithm payload (8): type (0 auth, 1 integrity, 2 confidentiality) | reserved (2) | length 0x08
///                           | algorithm (bits 5:0) | reserved (3)
/// </code>
/// A response with a non-zero status may stop after the console session id (8 bytes); ipmi_sim stops even earlier,
/// after the status (2 bytes), so an error response is accepted from 2 bytes on, as ipmitool does.
/// </summary>
internal static class OpenSessionCodec
{
    public const int RequestLength = 32;
    public const int ResponseLength = 36;
    private const int ErrorResponseLength = 2;
    private const int ConsoleIdEnd = 8;
    private const int AlgorithmPayloadLength = 8;
    private const int RequestSessionIdOffset = 4;
    private const int RequestAlgorithmsOffset = 8;
    private const int TagOffset = 0;
    private const int StatusOffset = 1;
    private const int MaxPrivilegeOffset = 2;
    private const int ResponseConsoleIdOffset = 4;
    private const int ResponseManagedIdOffset = 8;
    private const int ResponseAlgorithmsOffset = 12;
    private const int AlgorithmOffsetInPayload = 4;

    public static byte[] WriteRequest(byte tag, byte maxPrivilege, uint consoleSessionId, CipherSuite suite)
    {
        var m = new byte[RequestLength];
        m[TagOffset] = tag;
        m[1] = maxPrivilege;
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(RequestSessionIdOffset), consoleSessionId);
        WriteAlgorithm(m.AsSpan(RequestAlgorithmsOffset), 0, (byte)suite.Auth);
        WriteAlgorithm(m.AsSpan(RequestAlgorithmsOffset + AlgorithmPayloadLength), 1, (byte)suite.Integrity);
        WriteAlgorithm(m.AsSpan(RequestAlgorithmsOffset + 2 * AlgorithmPayloadLength), 2, (byte)suite.Confidentiality);
        return m;
    }

    private static void WriteAlgorithm(Span<byte> d, byte payloadType, byte algorithm)
    {
        d[0] = payloadType;
        d[3] = AlgorithmPayloadLength;
        d[AlgorithmOffsetInPayload] = algorithm;
    }

    public static bool TryParseResponse(ReadOnlySpan<byte> m, out OpenSessionResponse? response, out string error)
    {
        response = null;
        if (m.Length < ErrorResponseLength)
        {
            error = $"Open Session Response of {m.Length} bytes is truncated";
            return false;
        }
        byte status = m[StatusOffset];
        uint console = m.Length >= ConsoleIdEnd ? BinaryPrimitives.ReadUInt32LittleEndian(m[ResponseConsoleIdOffset..]) : 0;
        if (status != 0)
        {
            response = new OpenSessionResponse(m[TagOffset], status, m.Length > MaxPrivilegeOffset ? m[MaxPrivilegeOffset] : (byte)0, console, 0, 0, 0, 0);
            error = "";
            return true;
        }
        if (m.Length < ResponseLength)
        {
            error = $"Open Session Response of {m.Length} bytes is truncated (expected {ResponseLength})";
            return false;
        }
        for (int i = 0; i < 3; i++)
        {
            ReadOnlySpan<byte> p = m.Slice(ResponseAlgorithmsOffset + i * AlgorithmPayloadLength, AlgorithmPayloadLength);
            if (p[0] != i || p[3] != AlgorithmPayloadLength)
            {
                error = $"Open Session Response algorithm payload {i} is malformed";
                return false;
            }
        }
        // The max privilege byte is not checked: ipmi_sim puts a non-standard value there, and ipmitool ignores it too.
        response = new OpenSessionResponse(
            m[TagOffset], status, m[MaxPrivilegeOffset], console,
            BinaryPrimitives.ReadUInt32LittleEndian(m[ResponseManagedIdOffset..]),
            (AuthAlgorithm)(m[ResponseAlgorithmsOffset + AlgorithmOffsetInPayload] & 0x3F),
            (IntegrityAlgorithm)(m[ResponseAlgorithmsOffset + AlgorithmPayloadLength + AlgorithmOffsetInPayload] & 0x3F),
            (ConfidentialityAlgorithm)(m[ResponseAlgorithmsOffset + 2 * AlgorithmPayloadLength + AlgorithmOffsetInPayload] & 0x3F));
        error = "";
        return true;
    }
}
