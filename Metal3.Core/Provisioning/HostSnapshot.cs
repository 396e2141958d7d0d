using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// One host as the state machine sees it during one reconcile, read-only: the host as it was when the step began. A
/// handler says what it wants changed in the <see cref="StepOutcome"/> it returns, and <see cref="StateMachine.Apply"/>
/// turns that into the host's new status and events (<see cref="ReconcileOutcome"/>). No I/O: the job takes it from
/// the loaded host.
/// </summary>
public sealed class HostSnapshot
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required HostSpec Spec { get; init; }
    public required HostStatus Status { get; init; }
    public HostOperation? Operation { get; init; }
    public bool Detached { get; init; }
    public bool DeletionRequested { get; init; }
    public DateTimeOffset? RebootRequestedAt { get; init; }
    public DateTimeOffset? InspectRequestedAt { get; init; }
    public required DateTimeOffset Now { get; init; }

    public ProvisioningState State => Status.Provisioning.State;
}
