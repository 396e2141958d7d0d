using System.Text;

namespace Metal3.Server.Metrics;

/// <summary>One metric with all its label sets, in Prometheus' terms.</summary>
public sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<MetricSeries> Series);
