using Metal3.Core.Provisioning;

namespace Metal3.Data.Entities;

/// <summary>Labels are rows, not JSON, so a label selector is an indexed query on both providers.</summary>
public sealed class HostLabel
{
    public Guid HostId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
