using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// What one reconcile step decided, for the job to save (<see cref="Host.ApplyReconcile"/>): the host's new status, the
/// work under way, the operator requests still open, the step's events in the order they happened, and when to look at
/// the host again, or that it is gone.
/// </summary>
public sealed record ReconcileOutcome(
    HostStatus Status,
    HostOperation? Operation,
    DateTimeOffset? RebootRequestedAt,
    DateTimeOffset? InspectRequestedAt,
    IReadOnlyList<HostEvent> Events,
    DateTimeOffset? NextLookAt,
    bool Remove);
