namespace Metal3.Drivers.Ipmi.Commands;

/// <summary>Chassis Control actions (IPMI v2.0 Table 28-4).</summary>
internal enum ChassisControlAction : byte
{
    PowerDown = 0x00,
    PowerUp = 0x01,
    PowerCycle = 0x02,
    HardReset = 0x03,
    PulseDiagnosticInterrupt = 0x04,
    /// <summary>Emulated fatal overtemperature: an ACPI soft shutdown request to the OS.</summary>
    SoftShutdown = 0x05,
}
