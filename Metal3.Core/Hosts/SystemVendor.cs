using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record SystemVendor(string? Manufacturer, string? ProductName, string? SerialNumber);
