using System.Globalization;
using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>
/// Tolerant accessors over a Redfish payload. Vendors send numbers as strings, nulls where the schema says string,
/// objects where it says arrays, and occasionally change the case of a property name; a wrong type reads as "absent"
/// instead of failing the whole resource, because one odd property must not stop power control.
/// </summary>
internal static class JsonRead
{
    public static bool TryProp(this JsonElement e, string name, out JsonElement value)
    {
        value = default;
        if (e.ValueKind != JsonValueKind.Object) return false;
        if (e.TryGetProperty(name, out value)) return true;
        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }
        return false;
    }

    public static bool Has(this JsonElement e, string name) => e.TryProp(name, out _);

    public static string? Str(this JsonElement e, string name) =>
        e.TryProp(name, out var v) ? AsString(v) : null;

    public static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    public static double? Num(this JsonElement e, string name)
    {
        if (!e.TryProp(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d)) return d;
        if (v.ValueKind == JsonValueKind.String &&
            double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d)) return d;
        return null;
    }

    public static long? Long(this JsonElement e, string name)
    {
        double? d = e.Num(name);
        return d is { } x && !double.IsNaN(x) && x is >= long.MinValue and <= long.MaxValue ? (long)x : null;
    }

    public static bool? Bool(this JsonElement e, string name)
    {
        if (!e.TryProp(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(v.GetString(), out bool b) => b,
            _ => null,
        };
    }

    public static JsonElement? Obj(this JsonElement e, string name) =>
        e.TryProp(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static IEnumerable<JsonElement> Arr(this JsonElement e, string name) =>
        e.TryProp(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    /// <summary>The <c>@odata.id</c> of a navigation property (<c>{"Systems": {"@odata.id": "…"}}</c>).</summary>
    public static string? Link(this JsonElement e, string name) => e.Obj(name)?.Str("@odata.id");

    /// <summary>Every <c>@odata.id</c> in an array of links (collection members, <c>Links.ManagedBy</c>, <c>Drives</c>).</summary>
    public static IReadOnlyList<string> Links(this JsonElement e, string name) =>
        e.Arr(name).Select(m => m.Str("@odata.id")).OfType<string>().ToList();

    /// <summary>The strings of an array, skipping anything that is not a string.</summary>
    public static IReadOnlyList<string> Strings(this JsonElement e, string name) =>
        e.Arr(name).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
}
