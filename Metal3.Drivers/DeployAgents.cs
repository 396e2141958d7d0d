using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;

namespace Metal3.Drivers;

/// <summary>
/// The deploy agent of each host: the simulated one for fake:// hosts (unless the address asks for <c>agent=ramdisk</c>);
/// for real BMCs the ramdisk agent when enabled. Without it, inspection falls back to the BMC and cleaning/deploying
/// say plainly that there is no agent.
/// </summary>
public sealed class DeployAgents(FakeDriver fake, InBandAgent? inBand = null) : IDeployAgentFactory
{
    private static readonly NoDeployAgent NotEnabled = new("the ramdisk deploy agent is not enabled (Metal3:Agent:Enabled)");

    public IDeployAgent For(BmcTarget target) =>
        target.Address.Kind == BmcDriverKind.Fake && !FakeOptions.WantsRamdiskAgent(target.Address)
            ? fake.For(target)
            : inBand?.Agent ?? NotEnabled;
}
