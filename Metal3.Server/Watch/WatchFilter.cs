using Metal3.Core.Provisioning;
using Metal3.Data;

namespace Metal3.Server.Watch;

/// <summary>The list filters of <c>GET /hosts</c> (labelSelector, state), evaluated in memory on a watched host.</summary>
public sealed record WatchFilter(IReadOnlyList<LabelRequirement> Labels, IReadOnlyList<ProvisioningState> States)
{
    public bool IsEmpty => Labels.Count == 0 && States.Count == 0;

    /// <summary>Null when the host's labels or state are unknown and the filter needs them.</summary>
    public bool? Matches(HostView host)
    {
        if (IsEmpty)
        {
            return true;
        }
        if (host.Labels is not { } labels || (States.Count > 0 && host.State is null))
        {
            return null;
        }
        if (States.Count > 0 && !States.Contains(host.State!.Value))
        {
            return false;
        }
        return Labels.All(req =>
        {
            bool has = labels.TryGetValue(req.Key, out var value);
            bool holds = req.Value is null ? has : has && value == req.Value;
            return holds != req.Negated;
        });
    }
}
