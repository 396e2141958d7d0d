using System.Diagnostics.Metrics;
using Metal3.Core.Bmc;
using Metal3.Core.Provisioning;
using Metal3.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Metal3.Server.Tests.Metrics;

/// <summary>The daemon's instruments read back through its own meter factory, as <c>/metrics</c> reads them.</summary>
public sealed class ServerMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IMeterFactory _meters;
    private readonly ServerMetrics _metrics;

    public ServerMetricsTests()
    {
        _meters = _services.GetRequiredService<IMeterFactory>();
        // The observable gauges' sources are never read here: only recorded instruments are collected.
        _metrics = new ServerMetrics(_meters, new HostCounts(null!, TimeProvider.System), new ReconcileQueueDepth(null!, null!, TimeProvider.System));
    }

    public void Dispose() => _services.Dispose();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct => new(_meters, ServerMetrics.MeterName, instrument);

    [Fact]
    public void A_bmc_call_is_timed_whatever_its_outcome_and_counted_as_an_error_unless_ok()
    {
        using var durations = Collect<double>("metal3.bmc.call.duration");
        using var errors = Collect<long>("metal3.bmc.errors");

        _metrics.BmcCall(BmcDriverKind.Ipmi, "power", nameof(BmcOutcome.Ok), TimeSpan.FromMilliseconds(40));
        _metrics.BmcCall(BmcDriverKind.RedfishVirtualMedia, "power", "WrongCredentials", TimeSpan.FromSeconds(2));

        Assert.Equal([0.04, 2.0], durations.GetMeasurementSnapshot().Select(m => m.Value));
        var error = Assert.Single(errors.GetMeasurementSnapshot());
        Assert.Equal(1, error.Value);
        Assert.Equal("redfish-virtualmedia", error.Tags["driver"]);
        Assert.Equal("WrongCredentials", error.Tags["outcome"]);
    }

    [Fact]
    public void A_transition_is_counted_and_the_time_in_the_state_left_recorded_only_when_known()
    {
        using var transitions = Collect<long>("metal3.host.transitions");
        using var timeInState = Collect<double>("metal3.host.state.duration");

        _metrics.Transition(ProvisioningState.Registering, ProvisioningState.Inspecting, TimeSpan.FromSeconds(3));
        _metrics.Transition(ProvisioningState.Inspecting, ProvisioningState.Preparing, null);

        Assert.Equal([("registering", "inspecting"), ("inspecting", "preparing")],
            transitions.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["from"], (string?)m.Tags["to"])));
        var recorded = Assert.Single(timeInState.GetMeasurementSnapshot());
        Assert.Equal(3.0, recorded.Value);
        Assert.Equal("registering", recorded.Tags["state"]);
    }
}
