using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Api;

/// <summary>
/// How metal3ctl reads the daemon's replies: the shapes of Metal3.Contracts (the source-generated
/// <see cref="ApiJsonContext"/> the daemon writes them with), read so that a newer or leaner daemon is no error.
/// Fields this build does not know are skipped (the raw JSON keeps them for <c>-o json|yaml</c>); enumeration values it
/// does not know are kept by name (<see cref="OpenEnums"/>); fields a reply leaves out are left at their defaults, not
/// refused: a DELETED watch event for a host the daemon never loaded carries only its name and resourceVersion.
/// </summary>
public static class DaemonJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static JsonTypeInfo<T> Shape<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>A time as the daemon wrote it (ISO 8601, no trailing zeros in the fraction): the JSON writer round-trips.</summary>
    public static string Timestamp(DateTimeOffset time) => JsonSerializer.Serialize(time, Shape<DateTimeOffset>()).Trim('"');

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ApiJsonContext.Default.Options)
        {
            TypeInfoResolver = ApiJsonContext.Default.WithAddedModifier(NothingRequired),
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        };
        options.Converters.Add(new OpenEnumConverterFactory());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>C# <c>required</c> says what the daemon always writes, not what a client may insist on reading.</summary>
    private static void NothingRequired(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            property.IsRequired = false;
        }
    }
}
