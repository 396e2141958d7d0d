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
