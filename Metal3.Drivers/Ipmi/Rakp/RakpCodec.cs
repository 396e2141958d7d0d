using System.Buffers.Binary;

namespace Metal3.Drivers.Ipmi.Rakp;

/// <summary>
/// RAKP messages 1-4 (IPMI v2.0 §13.20-§13.23).
/// <code>
/// RAKP 1: tag | reserved (3) | managed session id (4) | console random Rm (16) | role (1) | reserved (2)
///        | user name length (1) | user name (0-16)
/// RAKP 2: tag | status | reserved (2) | console session id (4) | managed random Rc (16) | managed GUID (16) | auth code
/// RAKP 3: tag | status | reserved (2) | managed session id (4) | auth code
/// RAKP 4: tag | status | reserved (2) | console session id (4) | integrity check value
/// </code>
/// A RAKP 2 or 4 with a non-zero status may stop after the console session id, or (ipmi_sim) right after the status.
/// </summary>
internal static class RakpCodec
{
    public const int RandomLength = 16;
    public const int GuidLength = 16;
    public const int MaxUserNameLength = 16;
    /// <summary>Role bit 4: look the user up by name only (not name + privilege), as ipmitool does.</summary>
    public const byte NameOnlyLookup = 0x10;

    private const int TagOffset = 0;
    private const int StatusOffset = 1;
    private const int SessionIdOffset = 4;
    private const int Rakp1RandomOffset = 8;
    private const int Rakp1RoleOffset = Rakp1RandomOffset + RandomLength;
    private const int Rakp1UserLengthOffset = Rakp1RoleOffset + 3;
    private const int Rakp1UserOffset = Rakp1UserLengthOffset + 1;
    private const int Rakp2RandomOffset = 8;
    private const int Rakp2GuidOffset = Rakp2RandomOffset + RandomLength;
    private const int Rakp2AuthCodeOffset = Rakp2GuidOffset + GuidLength;
    private const int Rakp3AuthCodeOffset = 8;
    private const int Rakp4IcvOffset = 8;
    private const int StatusOnlyLength = 2;
    private const int ConsoleIdEnd = 8;

    public static byte[] WriteRakp1(byte tag, uint managedSessionId, ReadOnlySpan<byte> consoleRandom, byte role, ReadOnlySpan<byte> userName)
    {
        var m = new byte[Rakp1UserOffset + userName.Length];
        m[TagOffset] = tag;
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(SessionIdOffset), managedSessionId);
        consoleRandom.CopyTo(m.AsSpan(Rakp1RandomOffset));
        m[Rakp1RoleOffset] = role;
        m[Rakp1UserLengthOffset] = checked((byte)userName.Length);
        userName.CopyTo(m.AsSpan(Rakp1UserOffset));
        return m;
    }

    public static byte[] WriteRakp3(byte tag, byte status, uint managedSessionId, ReadOnlySpan<byte> authCode)
    {
        var m = new byte[Rakp3AuthCodeOffset + authCode.Length];
        m[TagOffset] = tag;
        m[StatusOffset] = status;
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(SessionIdOffset), managedSessionId);
        authCode.CopyTo(m.AsSpan(Rakp3AuthCodeOffset));
        return m;
    }

    public static bool TryParseRakp2(ReadOnlySpan<byte> m, int authCodeLength, out Rakp2? rakp2, out string error)
    {
        rakp2 = null;
        if (m.Length < StatusOnlyLength)
        {
            error = $"RAKP 2 of {m.Length} bytes is truncated";
            return false;
        }
        uint console = m.Length >= ConsoleIdEnd ? BinaryPrimitives.ReadUInt32LittleEndian(m[SessionIdOffset..]) : 0;
        if (m[StatusOffset] != 0)
        {
            rakp2 = new Rakp2(m[TagOffset], m[StatusOffset], console, [], [], []);
            error = "";
            return true;
        }
        if (m.Length != Rakp2AuthCodeOffset + authCodeLength)
        {
            error = $"RAKP 2 is {m.Length} bytes, expected {Rakp2AuthCodeOffset + authCodeLength}";
            return false;
        }
        rakp2 = new Rakp2(m[TagOffset], 0, console,
            m.Slice(Rakp2RandomOffset, RandomLength).ToArray(),
            m.Slice(Rakp2GuidOffset, GuidLength).ToArray(),
            m[Rakp2AuthCodeOffset..].ToArray());
        error = "";
        return true;
    }

    public static bool TryParseRakp4(ReadOnlySpan<byte> m, int icvLength, out Rakp4? rakp4, out string error)
    {
        rakp4 = null;
        if (m.Length < StatusOnlyLength)
        {
            error = $"RAKP 4 of {m.Length} bytes is truncated";
            return false;
        }
        uint console = m.Length >= ConsoleIdEnd ? BinaryPrimitives.ReadUInt32LittleEndian(m[SessionIdOffset..]) : 0;
        if (m[StatusOffset] != 0)
        {
            rakp4 = new Rakp4(m[TagOffset], m[StatusOffset], console, []);
            error = "";
            return true;
        }
        if (m.Length != Rakp4IcvOffset + icvLength)
        {
            error = $"RAKP 4 is {m.Length} bytes, expected {Rakp4IcvOffset + icvLength}";
            return false;
        }
        rakp4 = new Rakp4(m[TagOffset], 0, console, m[Rakp4IcvOffset..].ToArray());
        error = "";
        return true;
    }
}
