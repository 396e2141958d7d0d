using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record HardwareDetails
{
    public CpuDetails? Cpu { get; init; }
    public long? RamMebibytes { get; init; }
    public IReadOnlyList<StorageDevice> Storage { get; init; } = [];
    public IReadOnlyList<NetworkInterface> Nics { get; init; } = [];
    public FirmwareDetails? Firmware { get; init; }
    public SystemVendor? SystemVendor { get; init; }

    /// <summary>How the host booted the agent: UEFI when the kernel sees EFI firmware (set by the deploy agent only).</summary>
    public BootMode? BootMode { get; init; }
}
