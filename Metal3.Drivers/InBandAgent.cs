using Metal3.Core.Provisioning;

namespace Metal3.Drivers;

/// <summary>The deploy agent that runs on hosts with a real BMC (the ramdisk agent), when the daemon has one enabled.</summary>
public sealed record InBandAgent(IDeployAgent Agent);
