using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

/// <summary>Why a host is in error (the Metal3 error types).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErrorType>))]
public enum ErrorType
{
    [JsonStringEnumMemberName("registration error")] Registration,
    [JsonStringEnumMemberName("inspection error")] Inspection,
    [JsonStringEnumMemberName("preparation error")] Preparation,
    [JsonStringEnumMemberName("provisioning error")] Provisioning,
    [JsonStringEnumMemberName("power management error")] PowerManagement,
    [JsonStringEnumMemberName("detached")] Detached,
}
