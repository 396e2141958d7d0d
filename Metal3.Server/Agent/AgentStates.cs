using Metal3.Core.Provisioning;

namespace Metal3.Server.Agent;

/// <summary>The provisioning states in which a host runs the deploy agent; its agent token works only in these.</summary>
public static class AgentStates
{
    public static readonly IReadOnlySet<ProvisioningState> ExpectingAgent = new HashSet<ProvisioningState>
    {
        ProvisioningState.Inspecting,
        ProvisioningState.Preparing,
        ProvisioningState.Provisioning,
        ProvisioningState.Deprovisioning,
        ProvisioningState.Deleting, // cleans the disks before the host is removed
    };

    public static bool Expects(ProvisioningState state) => ExpectingAgent.Contains(state);
}
