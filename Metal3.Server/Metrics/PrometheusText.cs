using System.Globalization;
using System.Text;

namespace Metal3.Server.Metrics;

/// <summary>
/// The Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> lines, then one line per sample;
/// histograms as cumulative <c>_bucket{le="…"}</c> lines ending in <c>le="+Inf"</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Kind switch
            {
                MetricKind.Counter => "counter",
                MetricKind.Gauge => "gauge",
                _ => "histogram",
            }).Append('\n');
            foreach (var series in family.Series)
            {
                if (series.Histogram is { } h)
                {
                    long cumulative = 0;
                    for (int i = 0; i < h.Counts.Count; i++)
                    {
                        cumulative += h.Counts[i];
                        string le = i < h.Bounds.Count ? Number(h.Bounds[i]) : "+Inf";
                        Sample(text, family.Name + "_bucket", series.Labels, ("le", le), cumulative);
                    }
                    Sample(text, family.Name + "_sum", series.Labels, null, h.Sum);
                    Sample(text, family.Name + "_count", series.Labels, null, cumulative);
                }
                else
                {
                    Sample(text, family.Name, series.Labels, null, series.Value);
                }
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// A System.Diagnostics.Metrics instrument name as a Prometheus metric name: dots become underscores, the unit is a
    /// suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>) unless the name has that word already, counters
    /// end in <c>_total</c>.
    /// </summary>
    public static string MetricName(string instrument, string? unit, MetricKind kind)
    {
        var name = new StringBuilder(instrument.Length + 16);
        foreach (char c in instrument)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }
        string suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        // A name that already says its unit as a word (bytes_sent) keeps it where it is: bytes_sent_bytes says it twice.
        if (suffix.Length > 0 && !name.ToString().Split('_').Contains(suffix[1..], StringComparer.Ordinal))
        {
            name.Append(suffix);
        }
        if (kind == MetricKind.Counter && !name.ToString().EndsWith("_total", StringComparison.Ordinal))
        {
            name.Append("_total");
        }
        return name.ToString();
    }

    /// <summary>A tag key as a label name: letters, digits and underscores.</summary>
    public static string LabelName(string key)
    {
        var name = new StringBuilder(key.Length);
        foreach (char c in key)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return name.ToString();
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels,
        (string Key, string Value)? extra, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || extra is not null)
        {
            text.Append('{');
            bool first = true;
            foreach (var (k, v) in labels)
            {
                Label(text, ref first, k, v);
            }
            if (extra is { } e)
            {
                Label(text, ref first, e.Key, e.Value);
            }
            text.Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static void Label(StringBuilder text, ref bool first, string key, string value)
    {
        if (!first)
        {
            text.Append(',');
        }
        first = false;
        text.Append(key).Append("=\"").Append(EscapeLabel(value)).Append('"');
    }

    private static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : double.IsNaN(v) ? "NaN"
        : v.ToString("R", CultureInfo.InvariantCulture);

    // Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed.
    private static string EscapeLabel(string s) => s.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    private static string EscapeHelp(string s) => s.Replace("\\", @"\\").Replace("\n", @"\n");
}
