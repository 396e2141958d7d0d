using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record OperationMetric
{
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
}
