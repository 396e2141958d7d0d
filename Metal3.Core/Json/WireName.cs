using System.Text.Json;

namespace Metal3.Core.Json;

/// <summary>The name an enum value has on the wire (its <c>JsonStringEnumMemberName</c>), as responses and events show it.</summary>
public static class WireName
{
    public static string Of<T>(T value) where T : struct, Enum =>
        JsonSerializer.Serialize(value, Metal3Json.Options).Trim('"');
}
