using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

[JsonConverter(typeof(JsonStringEnumConverter<OperationalStatus>))]
public enum OperationalStatus
{
    [JsonStringEnumMemberName("OK")] Ok,
    [JsonStringEnumMemberName("discovered")] Discovered,
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("delayed")] Delayed,
    [JsonStringEnumMemberName("detached")] Detached,
}
