using Metal3.Data.Entities;

namespace Metal3.Server.Watch;

/// <summary>
/// What one watcher has been told, so each event it gets makes sense on top of the last: a host that stops matching the
/// filter is sent as DELETED, one that starts matching as ADDED, and an event older than what the watcher already has
/// (the listing raced a change) is dropped.
/// </summary>
/// <param name="listed">The watch began with a listing: a host it did not list is known not to be shown. When the
/// watch resumed instead, the watcher's view of hosts it has not heard about since is unknown.</param>
/// <param name="after">Live events at or below this change id were covered before (the listing or the resumed id).</param>
public sealed class WatchSession(WatchFilter filter, bool listed, long after)
{
    private readonly Dictionary<string, Shown> _shown = new(StringComparer.Ordinal);

    private readonly record struct Shown(Guid HostId, long Version, bool Present);

    /// <summary>What to send for <paramref name="e"/>, or null to send nothing.</summary>
    /// <param name="live">From the change hub (after the listing or replay).</param>
    public WatchEvent? Next(WatchEvent e, bool live)
    {
        if (live && e.Id <= after)
        {
            return null;
        }
        var host = e.Host;
        bool known = _shown.TryGetValue(host.Name, out var was);
        bool sameHost = known && was.HostId == host.HostId;
        bool present = known && was.Present && sameHost;

        if (e.Type == HostChangeTypes.Deleted)
        {
            if ((known && !was.Present) || (!known && listed) || (known && !sameHost))
            {
                return null;
            }
            _shown[host.Name] = new Shown(host.HostId, host.ResourceVersion, Present: false);
            return e;
        }
        if (sameHost && host.ResourceVersion <= was.Version)
        {
            return null;
        }
        if (filter.Matches(host) == true)
        {
            _shown[host.Name] = new Shown(host.HostId, host.ResourceVersion, Present: true);
            // A resumed watch knows nothing of the host, but a creation at or below the resumed id was before it: MODIFIED.
            string type = present ? HostChangeTypes.Modified
                : known || listed ? HostChangeTypes.Added
                : e.Type == HostChangeTypes.Added && e.AddedAt != 0 && e.AddedAt <= after ? HostChangeTypes.Modified
                : e.Type;
            return e with { Type = type };
        }
        _shown[host.Name] = new Shown(host.HostId, host.ResourceVersion, Present: false);
        return present ? e with { Type = HostChangeTypes.Deleted } : null;
    }
}
