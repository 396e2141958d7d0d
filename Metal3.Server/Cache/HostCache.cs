using System.Collections.Concurrent;
using Metal3.Data;

namespace Metal3.Server.Cache;

/// <summary>
/// Every host of the database, in memory, as the watch cache of the Kubernetes API server keeps its objects: loaded
/// once at start, then kept current by the change feed (<see cref="Watch.ChangeHub"/>), whichever daemon wrote, and by
/// this daemon's own writes as they commit. Reads of hosts answer from here; the database stays the truth, and the
/// cache is rebuilt from it whenever the daemon starts.
/// <para>
/// Per host the newer version wins (<see cref="Put"/>), so the feed, which is a little behind, never takes back what a
/// write here already showed its client. A deleted host's id is remembered for a while, so that a late copy (a write
/// answered just before the delete was read from the feed) cannot bring it back.
/// </para>
/// </summary>
public sealed class HostCache(TimeProvider time)
{
    /// <summary>Longer than any write takes between its commit and its <see cref="Put"/>.</summary>
    private static readonly TimeSpan RememberDeleted = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly HostCacheIndex _index = new();

    /// <summary>Written under <see cref="_gate"/>, read without it: a get takes no lock.</summary>
    private readonly ConcurrentDictionary<string, CachedHost> _byName = new(StringComparer.Ordinal);

    private readonly HashSet<Guid> _deleted = [];
    private readonly Queue<(Guid Id, DateTimeOffset At)> _deletedOrder = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the first full load is in: reads before it would see an empty or partial set of hosts.</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    public int Count => _byName.Count;

    /// <summary>Waits for the first load; false when it has not come within <paramref name="patience"/>.</summary>
    public async Task<bool> WaitLoadedAsync(TimeSpan patience, CancellationToken ct)
    {
        if (IsLoaded)
        {
            return true;
        }
        try
        {
            await _loaded.Task.WaitAsync(patience, time, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Marks the first full load done (the hosts themselves came through <see cref="Put"/>).</summary>
    public void Loaded() => _loaded.TrySetResult();

    public CachedHost? Get(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Keeps <paramref name="host"/> unless the cache has something newer: a higher version of the same host, a host
    /// of that name created after it (ids are UUIDv7, ordered by creation time), or the knowledge that it was deleted.
    /// </summary>
    public void Put(CachedHost host)
    {
        lock (_gate)
        {
            if (_deleted.Contains(host.Id))
            {
                return;
            }
            if (_byName.TryGetValue(host.Name, out var held))
            {
                bool newer = held.Id == host.Id ? host.ResourceVersion > held.ResourceVersion : host.Id.CompareTo(held.Id) > 0;
                if (!newer)
                {
                    return;
                }
                _index.Remove(held);
            }
            _byName[host.Name] = host;
            _index.Add(host);
        }
    }

    /// <summary>Drops the host with this id, if the name is still its, and refuses it from now on.</summary>
    public void Remove(Guid id, string name)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            while (_deletedOrder.TryPeek(out var oldest) && now - oldest.At > RememberDeleted)
            {
                _deleted.Remove(_deletedOrder.Dequeue().Id);
            }
            if (_deleted.Add(id))
            {
                _deletedOrder.Enqueue((id, now));
            }
            if (_byName.TryGetValue(name, out var held) && held.Id == id)
            {
                _byName.TryRemove(name, out _);
                _index.Remove(held);
            }
        }
    }

    /// <summary>
    /// One page in name order: the hosts matching <paramref name="query"/> after its <see cref="HostListQuery.AfterName"/>,
    /// and the last name when more follow. A host present for the whole of a paged listing is on exactly one page,
    /// whatever was added or removed meanwhile: pages follow names, which never change.
    /// </summary>
    public (List<CachedHost> Items, string? LastName) List(HostListQuery query)
    {
        var items = new List<CachedHost>(Math.Min(query.Limit, 1024));
        lock (_gate)
        {
            foreach (string name in _index.Candidates(query, query.AfterName))
            {
                var host = _byName[name];
                if (Matches(host, query))
                {
                    if (items.Count == query.Limit)
                    {
                        return (items, items[^1].Name);
                    }
                    items.Add(host);
                }
            }
        }
        return (items, null);
    }

    private static bool Matches(CachedHost host, HostListQuery query) =>
        (query.States.Count == 0 || query.States.Contains(host.State)) && LabelSelection.Matches(host.Labels, query.Labels);
}
