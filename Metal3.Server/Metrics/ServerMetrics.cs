using System.Diagnostics;
using System.Diagnostics.Metrics;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Core.Json;

namespace Metal3.Server.Metrics;

/// <summary>
/// The daemon's own instruments (meter <c>Metal3.Server</c>). Host counts and queue depth are observed at scrape
/// time from caches that <see cref="IScrapeSource"/>s refresh; the rest is recorded where it happens.
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Metal3.Server";

    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _timeInState;
    private readonly Histogram<double> _reconcileDuration;
    private readonly Histogram<double> _bmcCallDuration;
    private readonly Counter<long> _bmcErrors;
    private readonly Counter<long> _eventsCollapsed;

    public ServerMetrics(IMeterFactory meters, HostCounts hosts, ReconcileQueueDepth queue)
    {
        var meter = meters.Create(MeterName);
        _transitions = meter.CreateCounter<long>("metal3.host.transitions",
            description: "Provisioning state transitions, by from and to state");
        _timeInState = meter.CreateHistogram("metal3.host.state.duration", "s",
            "Time a host spent in a provisioning state, observed when it left the state",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400] });
        _reconcileDuration = meter.CreateHistogram("metal3.reconcile.duration", "s",
            "Duration of one reconcile step, by the state the host was in",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _bmcCallDuration = meter.CreateHistogram("metal3.bmc.call.duration", "s",
            "BMC call latency, by driver, operation and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30] });
        _bmcErrors = meter.CreateCounter<long>("metal3.bmc.errors",
            description: "BMC calls that did not succeed, by driver, operation and outcome");
        _eventsCollapsed = meter.CreateCounter<long>("metal3.host.events.collapsed",
            description: "Warnings not written to a host's history because it already ended with the same one");
        meter.CreateObservableGauge("metal3.hosts", hosts.Observe,
            description: "Hosts by provisioning state and operational status");
        meter.CreateObservableGauge("metal3.reconcile.queue.depth", queue.Observe,
            description: "Reconcile requests waiting: pending (not yet handed to Hangfire), enqueued and processing (Hangfire)");
    }

    public void Transition(ProvisioningState from, ProvisioningState to, TimeSpan? timeInFrom)
    {
        string fromName = WireNames<ProvisioningState>.NameOf(from);
        _transitions.Add(1, new("from", fromName), new("to", WireNames<ProvisioningState>.NameOf(to)));
        if (timeInFrom is { } t && t >= TimeSpan.Zero)
        {
            _timeInState.Record(t.TotalSeconds, new KeyValuePair<string, object?>("state", fromName));
        }
    }

    public void EventsCollapsed(int count)
    {
        if (count > 0)
        {
            _eventsCollapsed.Add(count);
        }
    }

    public void Reconciled(ProvisioningState state, TimeSpan duration) =>
        _reconcileDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("state", WireNames<ProvisioningState>.NameOf(state)));

    public void BmcCall(BmcDriverKind driver, string operation, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "driver", DriverName(driver) }, { "operation", operation }, { "outcome", outcome } };
        _bmcCallDuration.Record(duration.TotalSeconds, tags);
        if (outcome != nameof(BmcOutcome.Ok))
        {
            _bmcErrors.Add(1, tags);
        }
    }

    private static string DriverName(BmcDriverKind kind) => kind switch
    {
        BmcDriverKind.Ipmi => "ipmi",
        BmcDriverKind.Redfish => "redfish",
        BmcDriverKind.RedfishVirtualMedia => "redfish-virtualmedia",
        _ => "fake",
    };
}
