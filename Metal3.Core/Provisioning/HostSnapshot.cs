using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>
/// One host as the state machine sees it during one reconcile: the spec (read-only), the status and the flags it may
/// change, and the events it writes. No I/O: the job loads it from, and saves it to, the database.
/// </summary>
public sealed class HostSnapshot
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required HostSpec Spec { get; init; }
    public required HostStatus Status { get; set; }
    public HostOperation? Operation { get; set; }
    public bool Detached { get; init; }
    public bool DeletionRequested { get; init; }
    public DateTimeOffset? RebootRequestedAt { get; set; }
    public DateTimeOffset? InspectRequestedAt { get; set; }
    public required DateTimeOffset Now { get; init; }
    public List<HostEvent> Events { get; } = [];

    public ProvisioningState State => Status.Provisioning.State;

    public void Record(string reason, string message, bool warning = false) => Events.Add(new HostEvent(reason, message, warning));
}
