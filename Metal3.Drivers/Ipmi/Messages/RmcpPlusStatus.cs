namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>RMCP+ and RAKP message status codes (IPMI v2.0 Table 13-15).</summary>
internal static class RmcpPlusStatus
{
    public const byte NoErrors = 0x00;
    public const byte InvalidRole = 0x09;
    public const byte UnauthorizedRoleOrPrivilege = 0x0A;
    public const byte InvalidIntegrityCheckValue = 0x0F;
    public const byte UnauthorizedName = 0x0D;

    /// <summary>The codes that mean "these credentials are not accepted", not "the BMC is broken".</summary>
    public static bool IsCredentialFailure(byte code) =>
        code is 0x09 or 0x0A or 0x0D or 0x0F or 0x12 or 0x0B;

    public static string Describe(byte code) => code switch
    {
        0x00 => "no errors",
        0x01 => "insufficient resources to create a session",
        0x02 => "invalid session ID",
        0x03 => "invalid payload type",
        0x04 => "invalid authentication algorithm",
        0x05 => "invalid integrity algorithm",
        0x06 => "no matching authentication payload",
        0x07 => "no matching integrity payload",
        0x08 => "inactive session ID",
        0x09 => "invalid role",
        0x0A => "unauthorized role or privilege level requested",
        0x0B => "insufficient resources to create a session at the requested role",
        0x0C => "invalid name length",
        0x0D => "unauthorized name",
        0x0E => "unauthorized GUID",
        0x0F => "invalid integrity check value",
        0x10 => "invalid confidentiality algorithm",
        0x11 => "no cipher suite match with proposed security algorithms",
        0x12 => "illegal or unrecognized parameter",
        _ => "reserved status code",
    } + $" (0x{code:X2})";
}
