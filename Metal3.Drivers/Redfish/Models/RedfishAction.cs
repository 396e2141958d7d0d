using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>
/// One entry of a resource's <c>Actions</c> object (<c>"#ComputerSystem.Reset": {"target": …}</c>). Allowed parameter
/// values are either inline (<c>ResetType@Redfish.AllowableValues</c>) or behind <c>@Redfish.ActionInfo</c>
/// (AMI, OpenBMC, Supermicro), which the caller has to fetch.
/// </summary>
internal sealed record RedfishAction(string? Target, string? ActionInfoPath, IReadOnlyDictionary<string, IReadOnlyList<string>> Allowable)
{
    public static RedfishAction? From(JsonElement resource, string name)
    {
        if (resource.Obj("Actions") is not { } actions || actions.Obj(name) is not { } a) return null;
        var allowable = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in a.EnumerateObject())
        {
            const string suffix = "@Redfish.AllowableValues";
            if (p.Name.EndsWith(suffix, StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Array)
            {
                allowable[p.Name[..^suffix.Length]] = p.Value.EnumerateArray()
                    .Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
            }
        }
        return new RedfishAction(a.Str("target"), a.Str("@Redfish.ActionInfo"), allowable);
    }

    public IReadOnlyList<string>? AllowableFor(string parameter) =>
        Allowable.TryGetValue(parameter, out var values) ? values : null;
}
