using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// PostgreSQL's view of which transactions were still running when a snapshot was taken (<c>pg_current_snapshot()</c>):
/// every transaction id below <see cref="Xmin"/> had finished; ids from <see cref="Xmax"/> on had not started.
/// </summary>
public readonly record struct TransactionHorizon(ulong Xmin, ulong Xmax)
{
    /// <summary>Parses the text form <c>xmin:xmax:xip,…</c>.</summary>
    public static TransactionHorizon Parse(string text)
    {
        var parts = text.Split(':');
        return new TransactionHorizon(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
