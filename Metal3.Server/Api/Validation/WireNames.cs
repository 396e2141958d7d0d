using System.Reflection;
using System.Text.Json.Serialization;

namespace Metal3.Server.Api.Validation;

/// <summary>Maps the wire names of an enum (its <see cref="JsonStringEnumMemberNameAttribute"/>s) to values.</summary>
public static class WireNames<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = typeof(T)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(
            f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name,
            f => (T)f.GetValue(null)!,
            StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => ByName.Keys;

    public static string Expected => string.Join(", ", ByName.Keys);

    public static bool TryParse(string? name, out T value) => ByName.TryGetValue(name ?? "", out value);

    public static T? ParseOrNull(string? name) => name is not null && ByName.TryGetValue(name, out var v) ? v : null;

    public static string NameOf(T value) => ByName.First(kv => kv.Value.Equals(value)).Key;
}
