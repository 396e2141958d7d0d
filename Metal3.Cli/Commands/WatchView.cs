using System.Text;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Metal3.Cli.Commands;

/// <summary>The hosts a watch knows about, and how they are shown.</summary>
public sealed class WatchView(bool interactive, TextWriter? output = null)
{
    private readonly TextWriter _out = output ?? Console.Out;
    private static readonly int[] Widths = [9, 20, 24, 14, 7, 6, 32, 24, 5];
    private readonly SortedDictionary<string, HostResponse> _hosts = new(StringComparer.Ordinal);
    private string _lastEvent = "";

    public bool Interactive { get; } = interactive;

    public void Replace(IEnumerable<HostResponse> items)
    {
        _hosts.Clear();
        foreach (var host in items)
        {
            _hosts[host.Name ?? ""] = host;
            WriteLine("ADDED", host);
        }
    }

    public void Apply(WatchEvent change)
    {
        string name = change.Host.Name ?? "";
        var host = change.Host;
        if (change.Type == WatchEvent.Deleted)
        {
            // The daemon sends a bare name for a host it never loaded itself (this watch listed it through a plain
            // list); the host as this view last had it says more than an empty row.
            if (_hosts.Remove(name, out var known) && host.Status is null)
            {
                host = known;
            }
        }
        else
        {
            _hosts[name] = host;
        }
        _lastEvent = $"{change.Type} {name} ({HostColumns.State(host)})";
        WriteLine(change.Type, host);
    }

    public IRenderable Render(Uri url, int width)
    {
        var table = new Text(Crop(HostReadCommands.HostTable(_hosts.Values, wide: false, DateTimeOffset.UtcNow), width));
        var caption = new Text(Crop($"{_hosts.Count} hosts at {url} · last: {(_lastEvent.Length == 0 ? "-" : _lastEvent)} · Ctrl+C to stop", width),
            new Style(decoration: Decoration.Dim));
        return new Rows(table, caption);
    }

    /// <summary>Every line cut to the terminal's width: a live view redraws in place only if a host stays one line.</summary>
    public static string Crop(string text, int width) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => l.Length > width - 1 ? l[..Math.Max(0, width - 1)] : l));

    public void WriteHeader()
    {
        if (!Interactive)
        {
            _out.WriteLine(Line(["EVENT", .. HostColumns.Narrow]));
        }
    }

    private void WriteLine(string type, HostResponse host)
    {
        if (!Interactive)
        {
            _out.WriteLine(Line([type, .. HostColumns.Row(host, wide: false, DateTimeOffset.UtcNow)]));
            _out.Flush();
        }
    }

    private static string Line(IReadOnlyList<string> cells)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            line.Append(cells[i].PadRight(i < Widths.Length ? Widths[i] : 0)).Append("   ");
        }
        return line.ToString().TrimEnd();
    }
}
