using Metal3.Core.Hosts;

namespace Metal3.Core.Bmc;

public enum PowerState { Off, On }

/// <summary>What a power change asks for. Every action is idempotent: "on" when on succeeds without doing anything.</summary>
public enum PowerAction
{
    On,
    /// <summary>Immediate, like pulling the plug.</summary>
    HardOff,
    /// <summary>ACPI shutdown request; the OS may take its time (or ignore it).</summary>
    SoftOff,
    /// <summary>Hard reset when on; power on when off.</summary>
    Reboot,
    /// <summary>Off, then on again.</summary>
    PowerCycle,
}

public enum BootDevice { Pxe, Disk, Cd, BiosSetup, UefiHttp }

/// <summary>The next boot: which device, in which firmware mode, once or every time.</summary>
public sealed record BootOverride(BootDevice Device, BootMode Mode, bool Persistent);

/// <summary>The capability slots of a connection, as flags: what a driver declares it has (bmclib's feature lists).</summary>
[Flags]
public enum BmcCapabilities
{
    None = 0,
    Power = 1,
    BootDevice = 2,
    Inventory = 4,
    VirtualMedia = 8,
}

// The capability interfaces, one per concern (bmclib, ironic's interface slots). Every call takes a deadline and a
// cancellation token and never throws for what the BMC did; failures are BmcResult outcomes.

public interface IPowerControl
{
    Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct);
    Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct);
}

public interface IBootDeviceControl
{
    Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct);
    Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct);
}

/// <summary>Out-of-band hardware details, when the BMC has them.</summary>
public interface IInventoryReader
{
    Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct);
}

public interface IVirtualMediaControl
{
    Task<BmcResult> InsertMediaAsync(Uri image, DateTimeOffset deadline, CancellationToken ct);
    Task<BmcResult> EjectMediaAsync(DateTimeOffset deadline, CancellationToken ct);
}
