using System.Text;

namespace Metal3.Cli.Output;

/// <summary>
/// kubectl-style tables: upper-case headers, columns padded to their widest cell and three spaces apart, no borders,
/// no wrapping (a row is one line, so grep and awk work; a terminal narrower than the table wraps it, as with kubectl).
/// </summary>
public sealed class TextTable(IReadOnlyList<string> headers)
{
    private const string Gap = "   ";
    private readonly List<IReadOnlyList<string>> _rows = [];

    public TextTable Add(IReadOnlyList<string> cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var all = _rows.Prepend(headers).ToList();
        int[] widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (int i = 0; i < widths.Length && i < row.Count; i++)
            {
                widths[i] = Math.Max(widths[i], Clean(row[i]).Length);
            }
        }
        var text = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (int i = 0; i < widths.Length; i++)
            {
                string cell = i < row.Count ? Clean(row[i]) : "";
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i]) + Gap);
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    public void WriteTo(TextWriter writer) => writer.Write(ToString());

    /// <summary>A cell is one line: a message with a newline in it would break the row apart.</summary>
    private static string Clean(string cell) => cell.ReplaceLineEndings(" ");
}
