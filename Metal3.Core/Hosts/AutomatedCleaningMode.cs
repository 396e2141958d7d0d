using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

[JsonConverter(typeof(JsonStringEnumConverter<AutomatedCleaningMode>))]
public enum AutomatedCleaningMode
{
    [JsonStringEnumMemberName("metadata")] Metadata,
    [JsonStringEnumMemberName("disabled")] Disabled,
}
