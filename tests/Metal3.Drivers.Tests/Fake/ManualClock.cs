using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Drivers.Fake;

namespace Metal3.Drivers.Tests.Fake;

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
