using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    [JsonStringEnumMemberName("raw")] Raw,
    [JsonStringEnumMemberName("qcow2")] Qcow2,
    [JsonStringEnumMemberName("raw.gz")] RawGz,
    [JsonStringEnumMemberName("raw.xz")] RawXz,
    [JsonStringEnumMemberName("raw.zst")] RawZst,
}
