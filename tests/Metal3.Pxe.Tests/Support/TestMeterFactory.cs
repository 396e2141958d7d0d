using System.Diagnostics.Metrics;

namespace Metal3.Pxe.Tests.Support;

/// <summary>
/// A meter factory of the test's own, as the daemon has one: a <c>MetricCollector</c> scoped to it sees this test's
/// measurements and no other test's running alongside.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }
        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
