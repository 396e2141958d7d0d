using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

[JsonConverter(typeof(JsonStringEnumConverter<BootMode>))]
public enum BootMode
{
    [JsonStringEnumMemberName("UEFI")] Uefi,
    [JsonStringEnumMemberName("legacy")] Legacy,
    [JsonStringEnumMemberName("UEFISecureBoot")] UefiSecureBoot,
}
