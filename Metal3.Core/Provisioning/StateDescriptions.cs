using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

public static class StateDescriptions
{
    public static readonly IReadOnlyDictionary<ProvisioningState, StateDescription> All = new[]
    {
        new StateDescription(ProvisioningState.Registering, "a reachable BMC that accepts the credentials",
            "reads the power state through the BMC; sets goodCredentials", ErrorType.Registration),
        new StateDescription(ProvisioningState.Inspecting, "the hardware inventory",
            "collects hardware details (deploy agent, else the BMC's out-of-band inventory)", ErrorType.Inspection),
        new StateDescription(ProvisioningState.Preparing, "automated cleaning to finish",
            "erases disk metadata unless automatedCleaningMode is disabled", ErrorType.Preparation),
        new StateDescription(ProvisioningState.Available, "an image, an inspection request or a deletion",
            "keeps the power state as spec.online says", ErrorType.PowerManagement),
        new StateDescription(ProvisioningState.Provisioning, "the image to be written",
            "writes spec.image to the root device, then boots the host from its disk", ErrorType.Provisioning),
        new StateDescription(ProvisioningState.Provisioned, "the image to be cleared or changed",
            "keeps the power state as spec.online says", ErrorType.PowerManagement),
        new StateDescription(ProvisioningState.Deprovisioning, "cleaning to finish",
            "erases disk metadata unless automatedCleaningMode is disabled", ErrorType.Provisioning),
        new StateDescription(ProvisioningState.ExternallyProvisioned, "externallyProvisioned to be cleared",
            "keeps the power state as spec.online says", ErrorType.PowerManagement),
        new StateDescription(ProvisioningState.Deleting, "the disk to be cleaned when an image was written",
            "deprovisions before the host is forgotten", ErrorType.Provisioning),
        new StateDescription(ProvisioningState.PoweringOffBeforeDelete, "the host to be off",
            "powers the host off, then removes it (a detached host is removed without BMC calls)", ErrorType.PowerManagement),
    }.ToDictionary(d => d.State);
}
