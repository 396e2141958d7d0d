using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;

namespace Metal3.Drivers;

/// <summary>
/// The deploy agent of each host: the simulated one for fake:// hosts; for real BMCs the ramdisk agent, which is not
/// built yet, so their inspection falls back to the BMC and cleaning/deploying say plainly that there is no agent.
/// </summary>
public sealed class DeployAgents(FakeDriver fake) : IDeployAgentFactory
{
    private static readonly NoDeployAgent NotYet = new("the ramdisk deploy agent is not part of this build yet");

    public IDeployAgent For(BmcTarget target) => target.Address.Kind == BmcDriverKind.Fake ? fake.For(target) : NotYet;
}
