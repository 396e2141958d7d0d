using System.Diagnostics.Metrics;
using Metal3.Server.Metrics;

namespace Metal3.Server.Tests.Metrics;

public sealed class MeterExporterTests
{
    [Fact]
    public void Every_Metal3_meter_is_exported_counters_add_gauges_observe_histograms_bucket()
    {
        using var exporter = new MeterExporter(ownFactory: null);
        using var meter = new Meter("Metal3.Test.Exporter");
        using var other = new Meter("Other.Library");
        var packets = meter.CreateCounter<long>("metal3.test.packets", description: "Packets");
        var bytes = meter.CreateHistogram<double>("metal3.test.size", "By", "Sizes",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [512, 1500] });
        int observed = 7;
        meter.CreateObservableGauge("metal3.test.leases", () => observed, description: "Leases");
        other.CreateCounter<long>("other.count").Add(1);

        packets.Add(2, new KeyValuePair<string, object?>("type", "discover"));
        packets.Add(3, new KeyValuePair<string, object?>("type", "discover"));
        packets.Add(1, new KeyValuePair<string, object?>("type", "request"), new KeyValuePair<string, object?>("result", "ack"));
        bytes.Record(300);
        bytes.Record(1500);
        bytes.Record(9000);

        string first = Ours(exporter);
        observed = 8;
        string second = Ours(exporter);

        Assert.Equal(
            """
            # HELP metal3_test_leases Leases
            # TYPE metal3_test_leases gauge
            metal3_test_leases 7
            # HELP metal3_test_packets_total Packets
            # TYPE metal3_test_packets_total counter
            metal3_test_packets_total{result="ack",type="request"} 1
            metal3_test_packets_total{type="discover"} 5
            # HELP metal3_test_size_bytes Sizes
            # TYPE metal3_test_size_bytes histogram
            metal3_test_size_bytes_bucket{le="512"} 1
            metal3_test_size_bytes_bucket{le="1500"} 2
            metal3_test_size_bytes_bucket{le="+Inf"} 3
            metal3_test_size_bytes_sum 10800
            metal3_test_size_bytes_count 3

            """.ReplaceLineEndings("\n"), first);
        Assert.Contains("metal3_test_leases 8\n", second);
        Assert.DoesNotContain("other", first);
    }

    private static string Ours(MeterExporter exporter) =>
        PrometheusText.Format(exporter.Collect().Where(f => f.Name.StartsWith("metal3_test_", StringComparison.Ordinal)));
}
