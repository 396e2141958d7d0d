namespace Metal3.Contracts.Api;

/// <summary>The inventory in a line: what tells machines apart in a list.</summary>
public sealed record DiscoveredSummary(
    int? CpuCount, string? CpuModel, long? RamMebibytes, int DiskCount, long DiskGigabytes, int NicCount,
    string? Manufacturer, string? ProductName, string? SerialNumber);
