using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metal3.Cli.Api;

/// <summary>Reads an enumeration by its wire name, known or not (<see cref="OpenEnums"/>); writes it back by that name.</summary>
public sealed class OpenEnumConverter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>
    : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? OpenEnums.Parse<T>(reader.GetString()!)
            : throw new JsonException($"expected a {typeof(T).Name} as a string, found {reader.TokenType}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(OpenEnums.NameOf(value));
}
