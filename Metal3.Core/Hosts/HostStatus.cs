using System.Text.Json.Serialization;
using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

/// <summary>What the daemon observed. Written only by the daemon.</summary>
public sealed record HostStatus
{
    public ProvisioningStatus Provisioning { get; init; } = new();
    public OperationalStatus OperationalStatus { get; init; } = OperationalStatus.Discovered;
    public ErrorType? ErrorType { get; init; }
    public string? ErrorMessage { get; init; }
    public int ErrorCount { get; init; }
    public bool PoweredOn { get; init; }
    public bool GoodCredentials { get; init; }
    public HardwareDetails? Hardware { get; init; }
    public DateTimeOffset? LastUpdated { get; init; }
    public OperationHistory OperationHistory { get; init; } = new();

    /// <summary>A newly enrolled host: registering starts now.</summary>
    public static HostStatus Initial(DateTimeOffset now) => new()
    {
        LastUpdated = now,
        OperationHistory = new OperationHistory { Register = new OperationMetric { Start = now } },
    };

    /// <summary>The error cleared (fixed, or recovered from): the error count, and with it the back-off, starts over.</summary>
    public HostStatus WithoutError() => this with
    {
        ErrorType = null,
        ErrorMessage = null,
        ErrorCount = 0,
        OperationalStatus = GoodCredentials ? OperationalStatus.Ok : OperationalStatus.Discovered,
    };
}

public sealed record ProvisioningStatus
{
    public ProvisioningState State { get; init; } = ProvisioningState.Registering;
    public ImageSpec? Image { get; init; }
    public BootMode? BootMode { get; init; }
    public RootDeviceHints? RootDeviceHints { get; init; }
    public ProgressStatus? Progress { get; init; }
}

public sealed record ProgressStatus(long BytesWritten, long? BytesTotal);

public sealed record OperationHistory
{
    public OperationMetric Register { get; init; } = new();
    public OperationMetric Inspect { get; init; } = new();
    public OperationMetric Provision { get; init; } = new();
    public OperationMetric Deprovision { get; init; } = new();
}

public sealed record OperationMetric
{
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
}

public sealed record HardwareDetails
{
    public CpuDetails? Cpu { get; init; }
    public long? RamMebibytes { get; init; }
    public IReadOnlyList<StorageDevice> Storage { get; init; } = [];
    public IReadOnlyList<NetworkInterface> Nics { get; init; } = [];
    public FirmwareDetails? Firmware { get; init; }
    public SystemVendor? SystemVendor { get; init; }

    /// <summary>How the host booted the agent: UEFI when the kernel sees EFI firmware (set by the deploy agent only).</summary>
    public BootMode? BootMode { get; init; }
}

public sealed record CpuDetails
{
    public string? Arch { get; init; }
    public string? Model { get; init; }
    public int Count { get; init; }
    public double? ClockMegahertz { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
}

public sealed record StorageDevice
{
    public required string Name { get; init; }
    public long SizeBytes { get; init; }
    public bool? Rotational { get; init; }
    public string? Model { get; init; }
    public string? Vendor { get; init; }
    public string? SerialNumber { get; init; }
    public string? Wwn { get; init; }
    public string? Hctl { get; init; }
    public string? ByPath { get; init; }
}

public sealed record NetworkInterface
{
    public required string Name { get; init; }
    public required string Mac { get; init; }
    public bool? Link { get; init; }
    public int? SpeedGbps { get; init; }
    public string? Driver { get; init; }
    public string? Ip { get; init; }
}

public sealed record FirmwareDetails(string? BiosVendor, string? BiosVersion, string? BiosDate);

public sealed record SystemVendor(string? Manufacturer, string? ProductName, string? SerialNumber);

[JsonConverter(typeof(JsonStringEnumConverter<OperationalStatus>))]
public enum OperationalStatus
{
    [JsonStringEnumMemberName("OK")] Ok,
    [JsonStringEnumMemberName("discovered")] Discovered,
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("delayed")] Delayed,
    [JsonStringEnumMemberName("detached")] Detached,
}

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
