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
