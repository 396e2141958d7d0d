namespace Metal3.Drivers;

/// <summary>
/// How long <see cref="BmcCircuitBreaker"/> leaves a silent BMC alone before it probes it (<see cref="First"/>), and the
/// longest wait the doubling reaches (<see cref="Cap"/>). The defaults suit a rack: a BMC that reboots is back within a
/// minute, and a dead one costs a call every two minutes. A lab whose BMCs come back at once may probe sooner.
/// </summary>
public sealed record BmcProbeTiming(TimeSpan First, TimeSpan Cap)
{
    public static readonly BmcProbeTiming Default = new(TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(2));
}
