using System.Text.RegularExpressions;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Data;

/// <summary>
/// A warning the host's history already ends with is not written again: a BMC that stays away fails every retry with
/// the same words, and two rows per try would bury the history (and grow it without end) while saying nothing new.
/// "Ends with" is the host's last few events, since one failing try writes two (the BMC call and the error), and the
/// words are compared without the call's duration. Normal events (transitions, operator actions) are always written:
/// a transition recorded twice is a fault the tests look for.
/// </summary>
public static partial class EventRepeats
{
    private const int Window = 4;

    /// <summary><paramref name="events"/> without the warnings that repeat one among the host's newest events.</summary>
    public static async Task<List<HostEventRecord>> WithoutRepeatsAsync(Metal3DbContext db, Guid hostId, List<HostEventRecord> events, CancellationToken ct)
    {
        if (!events.Any(e => e.Type == HostEventTypes.Warning))
        {
            return events;
        }
        var recent = await db.HostEvents.AsNoTracking()
            .Where(e => e.HostId == hostId)
            .OrderByDescending(e => e.Id)
            .Take(Window)
            .Select(e => new { e.Type, e.Reason, e.Message })
            .ToListAsync(ct);
        var seen = recent.Where(e => e.Type == HostEventTypes.Warning).Select(e => (e.Reason, Gist(e.Message))).ToHashSet();
        var kept = new List<HostEventRecord>(events.Count);
        foreach (var e in events)
        {
            if (e.Type != HostEventTypes.Warning || seen.Add((e.Reason, Gist(e.Message))))
            {
                kept.Add(e);
            }
        }
        return kept;
    }

    /// <summary>The message without a trailing call duration, "(123 ms)".</summary>
    public static string Gist(string message) => Duration().Replace(message, "");

    [GeneratedRegex(@" \(\d+ ms\)$")]
    private static partial Regex Duration();
}
