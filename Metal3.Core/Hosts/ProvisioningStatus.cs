using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record ProvisioningStatus
{
    public ProvisioningState State { get; init; } = ProvisioningState.Registering;
    public ImageSpec? Image { get; init; }
    public BootMode? BootMode { get; init; }
    public RootDeviceHints? RootDeviceHints { get; init; }
    public ProgressStatus? Progress { get; init; }
}
