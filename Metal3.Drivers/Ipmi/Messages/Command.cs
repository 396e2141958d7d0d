namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>Command numbers used here (IPMI v2.0 Appendix G).</summary>
internal static class Command
{
    // NetFn Chassis
    public const byte GetChassisStatus = 0x01;
    public const byte ChassisControl = 0x02;
    public const byte SetSystemBootOptions = 0x08;
    public const byte GetSystemBootOptions = 0x09;

    // NetFn App
    public const byte GetDeviceId = 0x01;
    public const byte GetChannelAuthenticationCapabilities = 0x38;
    public const byte SetSessionPrivilegeLevel = 0x3B;
    public const byte CloseSession = 0x3C;
    public const byte GetChannelCipherSuites = 0x54;
}
