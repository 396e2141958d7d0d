using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

[JsonConverter(typeof(JsonStringEnumConverter<ChecksumType>))]
public enum ChecksumType
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("md5")] Md5,
    [JsonStringEnumMemberName("sha256")] Sha256,
    [JsonStringEnumMemberName("sha512")] Sha512,
}
