using System.Diagnostics.Metrics;

namespace Metal3.Server.Metrics;

/// <summary>
/// Listens to every instrument of every meter whose name starts with <c>Metal3</c> (this daemon's, from its
/// <see cref="IMeterFactory"/>, and static ones such as a library's), and of the runtime's and ASP.NET Core's meters
/// (garbage collection, thread pool, memory, CPU; HTTP requests by route and status, connections), and keeps their
/// values for a scrape: counters add up, gauges keep the last value, histograms count into buckets.
/// </summary>
public sealed class MeterExporter : IDisposable
{
    public const string MeterPrefix = "Metal3";

    /// <summary>The platform's meters exported beside ours: what an operator of any .NET service expects to see.</summary>
    public static readonly string[] PlatformMeters = ["System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>For histograms without advice: seconds from 5 ms to an hour.</summary>
    public static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly MeterListener _listener = new();
    private readonly Lock _collecting = new();
    private readonly List<InstrumentValues> _instruments = [];

    public MeterExporter(IMeterFactory? ownFactory)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            var meter = instrument.Meter;
            // A meter from another daemon's factory in the same process (tests host several) is not ours.
            bool exported = meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal) || PlatformMeters.Contains(meter.Name, StringComparer.Ordinal);
            if (!exported || (meter.Scope is not null && !ReferenceEquals(meter.Scope, ownFactory)))
            {
                return;
            }
            var values = new InstrumentValues(instrument);
            lock (_instruments)
            {
                _instruments.Add(values);
            }
            l.EnableMeasurementEvents(instrument, values);
        };
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_instruments)
            {
                _instruments.Remove((InstrumentValues)state!);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, v, tags, state) => ((InstrumentValues)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((_, v, tags, state) => ((InstrumentValues)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>((_, v, tags, state) => ((InstrumentValues)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((_, v, tags, state) => ((InstrumentValues)state!).Record(v, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every metric, sorted by name.</summary>
    public List<MetricFamily> Collect()
    {
        lock (_collecting)
        {
            List<InstrumentValues> all;
            lock (_instruments)
            {
                all = [.. _instruments];
            }
            foreach (var i in all.Where(i => i.Observable))
            {
                i.Clear();
            }
            _listener.RecordObservableInstruments();
            return all.GroupBy(i => i.Name)
                .Select(g => new MetricFamily(g.Key, g.First().Help, g.First().Kind, g.SelectMany(i => i.Series()).ToList()))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The values of one instrument, per label set.</summary>
    private sealed class InstrumentValues
    {
        private readonly Dictionary<string, Cell> _cells = new(StringComparer.Ordinal);
        private readonly Dictionary<FastKey, Cell> _fastCells = [];
        private readonly double[] _bounds;
        private readonly bool _adds;

        public InstrumentValues(Instrument instrument)
        {
            var type = instrument.GetType().GetGenericTypeDefinition();
            Observable = instrument.IsObservable;
            Kind = type == typeof(Histogram<>) ? MetricKind.Histogram
                : type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? MetricKind.Counter
                : MetricKind.Gauge;
            // Counter and UpDownCounter measurements are increments; observable ones and gauges report the value itself.
            _adds = type == typeof(Counter<>) || type == typeof(UpDownCounter<>);
            Name = PrometheusText.MetricName(instrument.Name, instrument.Unit, Kind);
            Help = instrument.Description ?? instrument.Name;
            _bounds = Kind == MetricKind.Histogram ? BoundsOf(instrument) : [];
        }

        public string Name { get; }
        public string Help { get; }
        public MetricKind Kind { get; }
        public bool Observable { get; }

        /// <summary>
        /// Called for every measurement, on the caller's thread: the DHCP server counts each datagram, thousands a
        /// second when a rack powers on. Up to three tags with string values (every instrument of ours) find their cell
        /// without allocating; building the Prometheus label set happens once per label set.
        /// </summary>
        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            bool fast = TryFastKey(tags, out var fastKey);
            lock (_cells)
            {
                if (!fast || !_fastCells.TryGetValue(fastKey, out var cell))
                {
                    cell = CellFor(tags);
                    if (fast)
                    {
                        _fastCells[fastKey] = cell;
                    }
                }
                if (cell.Buckets is { } buckets)
                {
                    int i = 0;
                    while (i < _bounds.Length && value > _bounds[i])
                    {
                        i++;
                    }
                    buckets[i]++;
                    cell.Value += value;
                }
                else
                {
                    cell.Value = _adds ? cell.Value + value : value;
                }
            }
        }

        /// <summary>The tags as they came (call sites keep their order), when there are at most three and all are text.</summary>
        private static bool TryFastKey(ReadOnlySpan<KeyValuePair<string, object?>> tags, out FastKey key)
        {
            key = default;
            if (tags.Length > 3)
            {
                return false;
            }
            string? k0 = null, v0 = null, k1 = null, v1 = null, k2 = null, v2 = null;
            for (int i = 0; i < tags.Length; i++)
            {
                if (tags[i].Value is not (string or null))
                {
                    return false;
                }
                var (k, v) = (tags[i].Key, (string?)tags[i].Value);
                switch (i)
                {
                    case 0: (k0, v0) = (k, v); break;
                    case 1: (k1, v1) = (k, v); break;
                    default: (k2, v2) = (k, v); break;
                }
            }
            key = new FastKey(tags.Length, k0, v0, k1, v1, k2, v2);
            return true;
        }

        /// <summary>The cell of a label set, created on first sight; the caller holds the lock.</summary>
        private Cell CellFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new KeyValuePair<string, string>[tags.Length];
            for (int i = 0; i < tags.Length; i++)
            {
                labels[i] = new(PrometheusText.LabelName(tags[i].Key), tags[i].Value?.ToString() ?? "");
            }
            Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            string key = string.Join('\u0001', labels.Select(l => l.Key + "\u0002" + l.Value));
            if (!_cells.TryGetValue(key, out var cell))
            {
                _cells[key] = cell = new Cell(labels, Kind == MetricKind.Histogram ? new long[_bounds.Length + 1] : null);
            }
            return cell;
        }

        private readonly record struct FastKey(int Count, string? K0, string? V0, string? K1, string? V1, string? K2, string? V2);

        public void Clear()
        {
            lock (_cells)
            {
                _cells.Clear();
                _fastCells.Clear();
            }
        }

        public List<MetricSeries> Series()
        {
            lock (_cells)
            {
                return _cells.Values.Select(c => new MetricSeries(c.Labels, c.Value,
                        c.Buckets is { } b ? new HistogramValue(_bounds, [.. b], c.Value) : null))
                    .OrderBy(s => string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)), StringComparer.Ordinal)
                    .ToList();
            }
        }

        private static double[] BoundsOf(Instrument instrument) => instrument switch
        {
            Histogram<double> { Advice.HistogramBucketBoundaries: { } b } => [.. b],
            Histogram<long> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
            Histogram<int> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(x => (double)x)],
            _ => DefaultBounds,
        };

        private sealed class Cell(KeyValuePair<string, string>[] labels, long[]? buckets)
        {
            public KeyValuePair<string, string>[] Labels => labels;
            public long[]? Buckets => buckets;
            public double Value { get; set; }
        }
    }
}
