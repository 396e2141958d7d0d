namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>Network function codes (IPMI v2.0 Table 5-1); responses use the request's value + 1.</summary>
internal enum NetFn : byte
{
    Chassis = 0x00,
    App = 0x06,
}

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

/// <summary>Privilege levels (IPMI v2.0 §6.8, Table 22-24 encoding).</summary>
public enum IpmiPrivilege : byte
{
    Callback = 0x01,
    User = 0x02,
    Operator = 0x03,
    Administrator = 0x04,
}
