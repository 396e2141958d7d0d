using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;

namespace Metal3.Drivers.Fake;

/// <summary>
/// The <c>fake://</c> driver: a simulated BMC and deploy agent that run the daemon's real code paths (state machine,
/// jobs, database) without hardware. For demos, tests and benchmarks only.
/// </summary>
public sealed class FakeDriver(TimeProvider time) : IBmcDriver, IDeployAgentFactory
{
    private readonly FakeBmc.Machines _machines = new();

    public static readonly BmcDriverDescriptor Descriptor = new FakeDescriptor();

    BmcDriverDescriptor IBmcDriver.Descriptor => Descriptor;

    /// <summary>The simulated machine behind an ID, for tests that look at what the daemon did to it.</summary>
    public FakeBmc.Machine Machine(string id) => _machines[id];

    public BmcConnection Connect(BmcTarget target)
    {
        var bmc = new FakeBmc(target.Address.Host, FakeOptions.Parse(target.Address.Query), time, _machines);
        return Descriptor.Connection(power: bmc, boot: bmc);
    }

    public IDeployAgent For(BmcTarget target) =>
        target.Address.Kind == BmcDriverKind.Fake
            ? new FakeAgent(target.Address.Host, FakeOptions.Parse(target.Address.Query))
            : throw new ArgumentException("not a fake:// host", nameof(target));
}
