namespace Metal3.Core.Provisioning;

public sealed record Transition(ProvisioningState From, Because On, ProvisioningState To);
