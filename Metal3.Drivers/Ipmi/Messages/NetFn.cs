namespace Metal3.Drivers.Ipmi.Messages;

/// <summary>Network function codes (IPMI v2.0 Table 5-1); responses use the request's value + 1.</summary>
internal enum NetFn : byte
{
    Chassis = 0x00,
    App = 0x06,
}
