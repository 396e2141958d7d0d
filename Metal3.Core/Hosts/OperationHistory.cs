using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

public sealed record OperationHistory
{
    public OperationMetric Register { get; init; } = new();
    public OperationMetric Inspect { get; init; } = new();
    public OperationMetric Provision { get; init; } = new();
    public OperationMetric Deprovision { get; init; } = new();
}
