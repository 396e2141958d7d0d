using Metal3.Core.Json;
using Metal3.Core.Provisioning;

namespace Metal3.Core.Hosts;

/// <summary>
/// A host: the spec users wrote, what the daemon observed, and what operators asked of it. Its methods are the only way
/// to change one, and each records events saying what changed (<see cref="NewEvents"/>); the store saves both in one
/// transaction, guarded by <see cref="ResourceVersion"/>.
/// </summary>
public sealed class Host
{
    private readonly List<HostEvent> _newEvents = [];

    private Host()
    {
    }

    public Guid Id { get; private init; }
    public string Name { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }

    /// <summary>Incremented by every saved change; the ETag and the optimistic concurrency token.</summary>
    public long ResourceVersion { get; private init; }

    public HostSpec Spec { get; private set; } = null!;

    /// <summary>The BMC password as the daemon protected it: opaque here, and never part of a response.</summary>
    public string? ProtectedBmcPassword { get; private set; }

    public HostStatus Status { get; private set; } = null!;

    /// <summary>Work under way (agent command, soft power-off), so a restarted daemon polls it instead of restarting it.</summary>
    public HostOperation? Operation { get; private set; }

    /// <summary>Set by DELETE; the state machine powers the host off and removes it.</summary>
    public DateTimeOffset? DeletionRequestedAt { get; private set; }

    /// <summary>Operator actions waiting for the reconciler.</summary>
    public DateTimeOffset? RebootRequestedAt { get; private set; }
    public DateTimeOffset? InspectRequestedAt { get; private set; }
    public bool Detached { get; private set; }

    public ProvisioningState State => Status.Provisioning.State;
    public bool IsBeingDeleted => DeletionRequestedAt is not null;

    /// <summary>What the calls on this instance changed, in order, for the host's history.</summary>
    public IReadOnlyList<HostEvent> NewEvents => _newEvents;

    /// <summary>A host as it was stored (the store's way back from its rows, not a way to change one).</summary>
    public static Host Restore(Guid id, string name, DateTimeOffset createdAt, long resourceVersion, HostSpec spec,
        string? protectedBmcPassword, HostStatus status, HostOperation? operation, DateTimeOffset? deletionRequestedAt,
        DateTimeOffset? rebootRequestedAt, DateTimeOffset? inspectRequestedAt, bool detached) => new()
    {
        Id = id,
        Name = name,
        CreatedAt = createdAt,
        ResourceVersion = resourceVersion,
        Spec = spec,
        ProtectedBmcPassword = protectedBmcPassword,
        Status = status,
        Operation = operation,
        DeletionRequestedAt = deletionRequestedAt,
        RebootRequestedAt = rebootRequestedAt,
        InspectRequestedAt = inspectRequestedAt,
        Detached = detached,
    };

    /// <summary>A new host: registering starts now.</summary>
    public static Host Enroll(Guid id, HostSpec spec, string? protectedBmcPassword, DateTimeOffset now)
    {
        var host = new Host
        {
            Id = id,
            Name = spec.Name,
            CreatedAt = now,
            Spec = spec,
            ProtectedBmcPassword = protectedBmcPassword,
            Status = HostStatus.Initial(now),
        };
        host.Record("Enrolled", $"enrolled with BMC {spec.Bmc.Address}");
        return host;
    }

    /// <summary>
    /// A new host from a discovered machine: registering starts now, with the hardware the machine's agent reported as
    /// its first inventory (unvouched for; inspection replaces it).
    /// </summary>
    public static Host EnrollDiscovered(Guid id, HostSpec spec, string? protectedBmcPassword, HardwareDetails? hardware,
        string discoveredId, DateTimeOffset now)
    {
        var host = Enroll(id, spec, protectedBmcPassword, now);
        host.Status = host.Status with { Hardware = hardware };
        host.Record("EnrolledFromDiscovery", $"enrolled from discovered machine {discoveredId}, with the inventory its agent reported");
        return host;
    }

    /// <summary>
    /// PUT and PATCH. A new password (already protected) counts as a change even when the spec is equal. False when nothing
    /// changed. A changed spec is the operator's fix: an error is cleared so the host is retried at once, with a fresh back-off.
    /// </summary>
    public bool ReplaceSpec(HostSpec spec, string? newProtectedBmcPassword)
    {
        if (SameSpec(spec, Spec) && newProtectedBmcPassword is null)
        {
            return false;
        }
        Spec = spec;
        ProtectedBmcPassword = newProtectedBmcPassword ?? ProtectedBmcPassword;
        Record("SpecUpdated", "spec updated");
        if (Status.ErrorType is { } error)
        {
            Status = Status.WithoutError();
            Record("ErrorCleared", $"spec changed: {WireName.Of(error)} cleared, retrying");
        }
        return true;
    }

    // A record compares its dictionary by reference: two equal label sets read from two requests would differ, and
    // applying the same spec again would bump the version and record an event.
    private static bool SameSpec(HostSpec a, HostSpec b) =>
        a with { Labels = b.Labels } == b
        && a.Labels.Count == b.Labels.Count
        && a.Labels.All(label => b.Labels.TryGetValue(label.Key, out var value) && value == label.Value);

    /// <summary>
    /// A claim takes, provisions, deprovisions or frees the host: the same spec change as a PUT (<see cref="ReplaceSpec"/>),
    /// with an event saying which claim did it. False when nothing changed.
    /// </summary>
    public bool ReplaceSpecForClaim(HostSpec spec, string reason, string message)
    {
        if (!ReplaceSpec(spec, newProtectedBmcPassword: null))
        {
            return false;
        }
        Record(reason, message);
        return true;
    }

    /// <summary>DELETE: deprovision, power off, remove. False when deletion was requested already.</summary>
    public bool RequestDeletion(DateTimeOffset now)
    {
        if (IsBeingDeleted)
        {
            return false;
        }
        DeletionRequestedAt = now;
        Record("DeletionRequested", "deletion requested: deprovision, power off, remove");
        return true;
    }

    /// <summary>Records an operator action for the reconciler. A host being deleted takes no more actions.</summary>
    public void Request(HostAction action, DateTimeOffset now)
    {
        if (IsBeingDeleted)
        {
            throw new InvalidOperationException($"host '{Name}' is being deleted; it takes no actions");
        }
        RebootRequestedAt = action == HostAction.Reboot ? now : RebootRequestedAt;
        InspectRequestedAt = action == HostAction.Inspect ? now : InspectRequestedAt;
        Detached = action switch { HostAction.Detach => true, HostAction.Attach => false, _ => Detached };
        var (reason, message) = action switch
        {
            HostAction.Reboot => ("RebootRequested", "reboot requested"),
            HostAction.Inspect => ("InspectionRequested", "inspection requested"),
            HostAction.Detach => ("DetachRequested", "detach requested: the daemon stops managing the host"),
            HostAction.Attach => ("AttachRequested", "attach requested: the daemon manages the host again"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        Record(reason, message);
    }

    /// <summary>The state machine's view of this host for one reconcile at <paramref name="now"/>.</summary>
    public HostSnapshot Snapshot(DateTimeOffset now) => new()
    {
        Id = Id,
        Name = Name,
        Spec = Spec,
        Status = Status,
        Operation = Operation,
        Detached = Detached,
        DeletionRequested = IsBeingDeleted,
        RebootRequestedAt = RebootRequestedAt,
        InspectRequestedAt = InspectRequestedAt,
        Now = now,
    };

    /// <summary>
    /// Takes what a reconcile step decided (from a <see cref="Snapshot"/> of this host) and its events. False when nothing
    /// but the status timestamp changed, which is not worth a write.
    /// </summary>
    public bool ApplyReconcile(ReconcileOutcome step)
    {
        _newEvents.AddRange(step.Events);
        bool changed = step.Status with { LastUpdated = Status.LastUpdated } != Status
            || step.Operation != Operation
            || step.RebootRequestedAt != RebootRequestedAt
            || step.InspectRequestedAt != InspectRequestedAt;
        if (changed)
        {
            Status = step.Status;
            Operation = step.Operation;
            RebootRequestedAt = step.RebootRequestedAt;
            InspectRequestedAt = step.InspectRequestedAt;
        }
        return changed;
    }

    private void Record(string reason, string message) => _newEvents.Add(new HostEvent(reason, message));
}
