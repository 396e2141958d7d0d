using System.Diagnostics.Metrics;
using Metal3.Server.Metrics;

namespace Metal3.Server.Tests.Metrics;

public sealed class PrometheusTextTests
{
    private static KeyValuePair<string, string> L(string k, string v) => new(k, v);

    [Fact]
    public void Counters_gauges_and_histograms_format_as_text_0_0_4()
    {
        var text = PrometheusText.Format(
        [
            new MetricFamily("metal3_bmc_errors_total", "BMC calls that failed", MetricKind.Counter,
                [new MetricSeries([L("driver", "ipmi"), L("outcome", "Unreachable")], 3)]),
            new MetricFamily("metal3_hosts", "Hosts by state", MetricKind.Gauge,
                [new MetricSeries([L("state", "powering off before delete")], 0), new MetricSeries([], 1.5)]),
            new MetricFamily("metal3_reconcile_duration_seconds", "Step duration", MetricKind.Histogram,
                [new MetricSeries([L("state", "available")], 0, new HistogramValue([0.1, 1], [2, 1, 1], 7.25))]),
        ]);

        Assert.Equal(
            """
            # HELP metal3_bmc_errors_total BMC calls that failed
            # TYPE metal3_bmc_errors_total counter
            metal3_bmc_errors_total{driver="ipmi",outcome="Unreachable"} 3
            # HELP metal3_hosts Hosts by state
            # TYPE metal3_hosts gauge
            metal3_hosts{state="powering off before delete"} 0
            metal3_hosts 1.5
            # HELP metal3_reconcile_duration_seconds Step duration
            # TYPE metal3_reconcile_duration_seconds histogram
            metal3_reconcile_duration_seconds_bucket{state="available",le="0.1"} 2
            metal3_reconcile_duration_seconds_bucket{state="available",le="1"} 3
            metal3_reconcile_duration_seconds_bucket{state="available",le="+Inf"} 4
            metal3_reconcile_duration_seconds_sum{state="available"} 7.25
            metal3_reconcile_duration_seconds_count{state="available"} 4

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_newline()
    {
        var text = PrometheusText.Format([new MetricFamily("m", "two\nlines \\", MetricKind.Gauge,
            [new MetricSeries([L("v", "a\"b\\c\nd")], double.PositiveInfinity)])]);
        Assert.Equal("# HELP m two\\nlines \\\\\n# TYPE m gauge\nm{v=\"a\\\"b\\\\c\\nd\"} +Inf\n", text);
    }

    [Theory]
    [InlineData("metal3.host.transitions", null, MetricKind.Counter, "metal3_host_transitions_total")]
    [InlineData("metal3.reconcile.duration", "s", MetricKind.Histogram, "metal3_reconcile_duration_seconds")]
    [InlineData("metal3.pxe.tftp.bytes", "By", MetricKind.Counter, "metal3_pxe_tftp_bytes_total")]
    [InlineData("metal3.http-boot.sent", "By", MetricKind.Counter, "metal3_http_boot_sent_bytes_total")]
    [InlineData("metal3.pxe.tftp.bytes_sent", "By", MetricKind.Counter, "metal3_pxe_tftp_bytes_sent_total")]
    [InlineData("metal3.pxe.http.bytes_served", "By", MetricKind.Counter, "metal3_pxe_http_bytes_served_total")]
    [InlineData("metal3.step.seconds_waited", "s", MetricKind.Histogram, "metal3_step_seconds_waited")]
    [InlineData("metal3.bytesize", "By", MetricKind.Gauge, "metal3_bytesize_bytes")]
    [InlineData("metal3.hosts", "{host}", MetricKind.Gauge, "metal3_hosts")]
    public void Instrument_names_become_metric_names(string instrument, string? unit, MetricKind kind, string expected) =>
        Assert.Equal(expected, PrometheusText.MetricName(instrument, unit, kind));
}
