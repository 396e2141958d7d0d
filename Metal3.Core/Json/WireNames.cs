using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Metal3.Core.Json;

/// <summary>
/// Maps the wire names of an enum (its <see cref="JsonStringEnumMemberNameAttribute"/>s) to values: the names the API,
/// the events and the metrics all show, so it lives beside the JSON shape rather than with any one of them.
/// </summary>
public static class WireNames<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name,
            f => (T)f.GetValue(null)!,
            StringComparer.Ordinal);

    private static readonly Dictionary<T, string> ByValue = ByName.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string Expected => string.Join(", ", ByName.Keys);

    public static bool TryParse(string? name, out T value) => ByName.TryGetValue(name ?? "", out value);

    public static T? ParseOrNull(string? name) => name is not null && ByName.TryGetValue(name, out var v) ? v : null;

    public static string NameOf(T value) => ByValue.TryGetValue(value, out string? name) ? name : value.ToString();
}
