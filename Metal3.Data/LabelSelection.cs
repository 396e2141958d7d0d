using Metal3.Data.Entities;

namespace Metal3.Data;

/// <summary>A label selector applied to hosts: in SQL over the label rows, or in memory over a host's labels.</summary>
public static class LabelSelection
{
    public static IQueryable<HostRecord> Where(IQueryable<HostRecord> hosts, IEnumerable<LabelRequirement> selector)
    {
        foreach (var req in selector)
        {
            hosts = (req.Value, req.Negated) switch
            {
                (null, false) => hosts.Where(h => h.Labels.Any(l => l.Key == req.Key)),
                (null, true) => hosts.Where(h => !h.Labels.Any(l => l.Key == req.Key)),
                (_, false) => hosts.Where(h => h.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
                (_, true) => hosts.Where(h => !h.Labels.Any(l => l.Key == req.Key && l.Value == req.Value)),
            };
        }
        return hosts;
    }

    public static bool Matches(IReadOnlyDictionary<string, string> labels, IEnumerable<LabelRequirement> selector) =>
        selector.All(req => (req.Value, req.Negated) switch
        {
            (null, false) => labels.ContainsKey(req.Key),
            (null, true) => !labels.ContainsKey(req.Key),
            (_, false) => labels.TryGetValue(req.Key, out var v) && v == req.Value,
            (_, true) => !(labels.TryGetValue(req.Key, out var v) && v == req.Value),
        });
}
