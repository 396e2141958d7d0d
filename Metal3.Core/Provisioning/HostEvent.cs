namespace Metal3.Core.Provisioning;

/// <summary>A history entry the state machine writes (the daemon stores it as an event row).</summary>
public sealed record HostEvent(string Reason, string Message, bool Warning = false, ProvisioningState? From = null,
    ProvisioningState? To = null);
