using System.Text.Json.Serialization;

namespace Metal3.Core.Hosts;

/// <summary>The desired state of a host, written by users. Never carries the BMC password in clear once stored.</summary>
public sealed record HostSpec
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool Online { get; init; }
    /// <summary>Lower-case, colon-separated (normalised by <see cref="MacAddress"/>).</summary>
    public string? BootMacAddress { get; init; }
    public BootMode BootMode { get; init; } = BootMode.Uefi;
    public required BmcDetails Bmc { get; init; }
    public ImageSpec? Image { get; init; }
    public RootDeviceHints? RootDeviceHints { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public AutomatedCleaningMode AutomatedCleaningMode { get; init; } = AutomatedCleaningMode.Metadata;
    public bool ExternallyProvisioned { get; init; }
    public string? ConsumerRef { get; init; }
}

/// <summary>How to reach the BMC. The password lives apart from the spec (encrypted), see <c>credentialsSet</c>.</summary>
public sealed record BmcDetails
{
    public required string Address { get; init; }
    public string? Username { get; init; }
    public bool DisableCertificateVerification { get; init; }
}

public sealed record ImageSpec
{
    public required string Url { get; init; }
    public required string Checksum { get; init; }
    public ChecksumType ChecksumType { get; init; } = ChecksumType.Auto;
    public ImageFormat? Format { get; init; }
}

/// <summary>Ironic's root device hints: every hint given must match the chosen disk.</summary>
public sealed record RootDeviceHints
{
    public string? DeviceName { get; init; }
    public string? Hctl { get; init; }
    public string? Model { get; init; }
    public string? Vendor { get; init; }
    public string? SerialNumber { get; init; }
    public string? Wwn { get; init; }
    public int? MinSizeGigabytes { get; init; }
    public bool? Rotational { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<BootMode>))]
public enum BootMode
{
    [JsonStringEnumMemberName("UEFI")] Uefi,
    [JsonStringEnumMemberName("legacy")] Legacy,
    [JsonStringEnumMemberName("UEFISecureBoot")] UefiSecureBoot,
}

[JsonConverter(typeof(JsonStringEnumConverter<ChecksumType>))]
public enum ChecksumType
{
    [JsonStringEnumMemberName("auto")] Auto,
    [JsonStringEnumMemberName("md5")] Md5,
    [JsonStringEnumMemberName("sha256")] Sha256,
    [JsonStringEnumMemberName("sha512")] Sha512,
}

[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    [JsonStringEnumMemberName("raw")] Raw,
    [JsonStringEnumMemberName("qcow2")] Qcow2,
    [JsonStringEnumMemberName("raw.gz")] RawGz,
    [JsonStringEnumMemberName("raw.xz")] RawXz,
    [JsonStringEnumMemberName("raw.zst")] RawZst,
}

[JsonConverter(typeof(JsonStringEnumConverter<AutomatedCleaningMode>))]
public enum AutomatedCleaningMode
{
    [JsonStringEnumMemberName("metadata")] Metadata,
    [JsonStringEnumMemberName("disabled")] Disabled,
}
