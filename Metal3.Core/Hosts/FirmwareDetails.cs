using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record FirmwareDetails(string? BiosVendor, string? BiosVersion, string? BiosDate);
