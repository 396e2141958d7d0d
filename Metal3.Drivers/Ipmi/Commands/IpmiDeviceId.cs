namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>The BMC's identity from Get Device ID.</summary>
public sealed record IpmiDeviceId(byte DeviceId, byte DeviceRevision, string FirmwareVersion, string IpmiVersion, uint ManufacturerId, ushort ProductId);
