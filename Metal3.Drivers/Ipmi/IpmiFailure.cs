using Metal3.Core.Bmc;

namespace Metal3.Drivers.Ipmi;

/// <summary>
/// Internal signal that an exchange ended in a way the caller must hear about. It never leaves the driver: the
/// capability methods turn it into a <see cref="BmcResult"/>.
/// </summary>
internal sealed class IpmiFailure(BmcOutcome outcome, string message) : Exception(message)
{
    public BmcOutcome Outcome { get; } = outcome;
}
