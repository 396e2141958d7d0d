using Metal3.Core.Provisioning;
using Metal3.Data;

namespace Metal3.Server.Cache;

/// <summary>
/// The cached hosts' names in list order, in total and per state and per label pair, so that a filtered page walks
/// the smallest set that can hold its hosts instead of every host. Not thread-safe: <see cref="HostCache"/> holds its
/// lock around every call.
/// </summary>
internal sealed class HostCacheIndex
{
    /// <summary>
    /// Above every host name: names are DNS-1123 labels (lower-case letters, digits, '-'), all below '~' in ordinal
    /// order, so a page after a name is the view from it to this.
    /// </summary>
    private const string AboveEveryName = "~";

    private readonly SortedSet<string> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<ProvisioningState, SortedSet<string>> _byState = [];
    private readonly Dictionary<(string Key, string Value), SortedSet<string>> _byLabel = [];

    public int Count => _all.Count;

    public void Add(CachedHost host)
    {
        _all.Add(host.Name);
        SetOf(_byState, host.State).Add(host.Name);
        foreach (var label in host.Labels)
        {
            SetOf(_byLabel, (label.Key, label.Value)).Add(host.Name);
        }
    }

    public void Remove(CachedHost host)
    {
        _all.Remove(host.Name);
        RemoveFrom(_byState, host.State, host.Name);
        foreach (var label in host.Labels)
        {
            RemoveFrom(_byLabel, (label.Key, label.Value), host.Name);
        }
    }

    /// <summary>
    /// The names after <paramref name="afterName"/>, in order, from the smallest index that holds every host the query
    /// can match: one state's set, or one <c>key=value</c> label's. The caller still applies the whole query.
    /// </summary>
    public IEnumerable<string> Candidates(HostListQuery query, string? afterName)
    {
        var set = _all;
        if (query.States.Count == 1)
        {
            set = _byState.GetValueOrDefault(query.States[0]) ?? [];
        }
        foreach (var term in query.Labels)
        {
            if (term is { Negated: false, Value: { } value })
            {
                var labelled = _byLabel.GetValueOrDefault((term.Key, value)) ?? [];
                if (labelled.Count < set.Count)
                {
                    set = labelled;
                }
            }
        }
        if (afterName is null)
        {
            return set;
        }
        // A continue token is the client's to send back, so any text may come here: nothing sorts after the bound.
        if (string.CompareOrdinal(afterName, AboveEveryName) >= 0 || set.Count == 0)
        {
            return [];
        }
        return set.GetViewBetween(afterName, AboveEveryName).SkipWhile(n => n == afterName);
    }

    private static SortedSet<string> SetOf<TKey>(Dictionary<TKey, SortedSet<string>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        }
        return set;
    }

    private static void RemoveFrom<TKey>(Dictionary<TKey, SortedSet<string>> index, TKey key, string name) where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(name) && set.Count == 0)
        {
            // An empty set per retired label value would only grow.
            index.Remove(key);
        }
    }
}
