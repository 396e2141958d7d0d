namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>Privilege levels (IPMI v2.0 §6.8, Table 22-24 encoding).</summary>
public enum IpmiPrivilege : byte
{
    Callback = 0x01,
    User = 0x02,
    Operator = 0x03,
    Administrator = 0x04,
}
