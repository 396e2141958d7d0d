using Metal3.Data;
using Metal3.Data.Entities;

namespace Metal3.Server.Watch;

/// <summary>
/// Where the change feed has been read up to: every change id at or below <see cref="Floor"/> has been handed on or
/// can no longer appear, so changes are handed on in id order and a watcher that resumes after the last id it saw
/// misses nothing.
/// <para>
/// On PostgreSQL an id is taken when the row is inserted and becomes visible at commit, so id 7 can be visible while 6
/// is not: 6 is either still committing or was rolled back (a write that lost a race). Changes after such a gap are
/// held back until the snapshot horizon shows that every transaction running when the gap was first seen has ended
/// (then 6 is visible, or never will be), or until <c>timeout</c> (a transaction open that long is stuck). A gap is
/// always looked at in two reads at least, so the writer of 6 has had its transaction id assigned.
/// Without a horizon (SQLite: ids in commit order) a gap is final at once.
/// </para>
/// </summary>
public sealed record ChangeFloor(long Floor, TimeSpan Timeout)
{
    private PendingGap? Gap { get; init; }

    private sealed record PendingGap(long Id, ulong Horizon, DateTimeOffset Seen);

    /// <param name="rows">Changes above <see cref="Floor"/>, in id order, as read in the snapshot of <paramref name="horizon"/>.</param>
    /// <returns>The floor after these rows, and the rows that may be handed on now, in id order.</returns>
    public (ChangeFloor Next, List<HostChangeRecord> Ready) Advance(
        IReadOnlyList<HostChangeRecord> rows, TransactionHorizon? horizon, DateTimeOffset now)
    {
        var ready = new List<HostChangeRecord>();
        long floor = Floor;
        var gap = Gap;
        foreach (var row in rows)
        {
            if (row.Id <= floor)
            {
                continue;
            }
            if (row.Id != floor + 1)
            {
                if (horizon is not { } h)
                {
                    // SQLite: nothing below a visible id is still to come.
                }
                else if (gap is null || gap.Id != floor + 1)
                {
                    gap = new PendingGap(floor + 1, h.Xmax, now);
                    break;
                }
                else if (h.Xmin < gap.Horizon && now - gap.Seen < Timeout)
                {
                    break;
                }
            }
            ready.Add(row);
            floor = row.Id;
        }
        if (gap is not null && gap.Id <= floor)
        {
            gap = null;
        }
        return (this with { Floor = floor, Gap = gap }, ready);
    }
}
