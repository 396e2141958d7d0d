using System.Diagnostics.CodeAnalysis;

namespace Metal3.Core.Json;

/// <summary>The name an enum value has on the wire, as responses and events show it (<see cref="WireNames{T}"/>, with the
/// type inferred from the value).</summary>
public static class WireName
{
    public static string Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>(T value) where T : struct, Enum =>
        WireNames<T>.NameOf(value);
}
