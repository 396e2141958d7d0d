using Spectre.Console;
using Spectre.Console.Rendering;

namespace Metal3.Cli.Output;

/// <summary>kubectl-style tables: no borders, upper-case headers, columns separated by three spaces.</summary>
public static class Tables
{
    public static Table Create(IEnumerable<string> headers)
    {
        var table = new Table().Border(TableBorder.None).HideHeaders();
        table.ShowRowSeparators = false;
        var names = headers.ToList();
        for (int i = 0; i < names.Count; i++)
        {
            table.AddColumn(new TableColumn("").PadLeft(0).PadRight(i == names.Count - 1 ? 0 : 3).NoWrap());
        }
        // The header is an ordinary row so that it looks the same piped or not (Spectre underlines real headers).
        table.AddRow(names.Select(h => (IRenderable)new Text(h)));
        return table;
    }

    public static void AddRow(Table table, IEnumerable<string> cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
