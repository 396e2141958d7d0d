using System.Text;

namespace Metal3.Server.Metrics;

/// <summary>One label set's value; for a histogram, its buckets instead.</summary>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, HistogramValue? Histogram = null);
