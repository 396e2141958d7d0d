using System.Text;

namespace Metal3.Server.Metrics;

/// <param name="Bounds">Upper bounds of the buckets, ascending (without +Inf).</param>
/// <param name="Counts">Observations per bucket, not cumulative: one more than <paramref name="Bounds"/> (the last is +Inf).</param>
public sealed record HistogramValue(IReadOnlyList<double> Bounds, IReadOnlyList<long> Counts, double Sum);
