using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;

namespace Metal3.Drivers;

/// <summary>The deploy agent that runs on hosts with a real BMC (the ramdisk agent), when the daemon has one enabled.</summary>
public sealed record InBandAgent(IDeployAgent Agent);
