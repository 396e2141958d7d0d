using System.Text.Json;
using System.Text.Json.Serialization;

namespace Metal3.Cli.Api;

/// <summary>
/// <see cref="OpenEnumConverter{T}"/> for every enumeration in a response. Options' converters come before the
/// types' own <c>[JsonConverter]</c> (a strict <c>JsonStringEnumConverter</c>), so this replaces it for reading only.
/// </summary>
public sealed class OpenEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OpenEnumConverter<>).MakeGenericType(typeToConvert))!;
}
