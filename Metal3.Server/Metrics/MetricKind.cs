using System.Text;

namespace Metal3.Server.Metrics;

public enum MetricKind { Counter, Gauge, Histogram }
