using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>An ActionInfo resource: the parameters an action takes and the values each allows.</summary>
internal sealed record ActionInfo(IReadOnlyDictionary<string, IReadOnlyList<string>> Allowable)
{
    public static ActionInfo From(JsonElement e)
    {
        var allowable = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in e.Arr("Parameters"))
        {
            if (p.Str("Name") is { } name) allowable[name] = p.Strings("AllowableValues");
        }
        return new ActionInfo(allowable);
    }

    public IReadOnlyList<string>? AllowableFor(string parameter) =>
        Allowable.TryGetValue(parameter, out var values) && values.Count > 0 ? values : null;
}
