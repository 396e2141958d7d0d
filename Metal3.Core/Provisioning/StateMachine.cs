using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning.Steps;

namespace Metal3.Core.Provisioning;

/// <summary>
/// One reconcile step: the handler of the host's state decides (at most one step of work through the driver) and returns
/// a <see cref="StepOutcome"/>; the handler changes nothing. The outcome is applied here, once, for every state: the
/// handler's changes, then the bookkeeping of its result (state, errors, history, events, next look).
/// </summary>
public static class StateMachine
{
    private static readonly Dictionary<ProvisioningState, Func<StepContext, Task<StepOutcome>>> Handlers = new()
    {
        [ProvisioningState.Registering] = RegisteringStep.RunAsync,
        [ProvisioningState.Inspecting] = InspectingStep.RunAsync,
        [ProvisioningState.Preparing] = c => CleaningStep.RunAsync(c, "prepared"),
        [ProvisioningState.Available] = AvailableStep.RunAsync,
        [ProvisioningState.Provisioning] = ProvisioningStep.RunAsync,
        [ProvisioningState.Provisioned] = RestingSteps.ProvisionedAsync,
        [ProvisioningState.Deprovisioning] = c => CleaningStep.RunAsync(c, "deprovisioned"),
        [ProvisioningState.ExternallyProvisioned] = RestingSteps.ExternallyProvisionedAsync,
        [ProvisioningState.Deleting] = DeletionSteps.DeletingAsync,
        [ProvisioningState.PoweringOffBeforeDelete] = DeletionSteps.PoweringOffAsync,
    };

    public static IReadOnlyCollection<ProvisioningState> HandledStates => Handlers.Keys;

    /// <summary>One step of <paramref name="host"/>: what to save, and when to look again.</summary>
    /// <param name="media">How the host boots into the agent (default: network boot).</param>
    public static async Task<ReconcileOutcome> StepAsync(HostSnapshot host, BmcConnection bmc, IDeployAgent agent, CancellationToken ct,
        AgentMedia? media = null)
    {
        var timeline = new BmcTimeline();
        var outcome = await DecideAsync(host, timeline.Around(bmc), agent, ct, media);
        return Apply(host, timeline.Events, outcome);
    }

    /// <summary>
    /// What the handler of the host's state decides. A deletion request and a detached host are decided here, the same
    /// for every state. Nothing is changed: the outcome says what should be.
    /// </summary>
    public static async Task<StepOutcome> DecideAsync(HostSnapshot host, BmcConnection bmc, IDeployAgent agent, CancellationToken ct,
        AgentMedia? media = null)
    {
        bool deleting = host.State is ProvisioningState.Deleting or ProvisioningState.PoweringOffBeforeDelete;
        if (host.DeletionRequested && !deleting)
        {
            // Whatever was under way is abandoned: deleting starts its own work.
            return new StepOutcome(new StepResult.Advance(Because.DeletionRequested, "deletion requested"),
                new HostChanges { Operation = new(null) });
        }
        if (host.Detached)
        {
            return deleting
                ? new StepResult.Removed("detached: removed without BMC calls")
                : new StepResult.Idle(StepContext.Resync);
        }
        return await Handlers[host.State](new StepContext(host, bmc, agent, ct) { Media = media ?? AgentMedia.Network });
    }

    /// <summary>
    /// Applies a handler's outcome to the host as it was, in one place: the handler's changes first, then the bookkeeping
    /// of every step (BMO's updateHostStateFrom). The events keep the order things happened in: the step's BMC calls
    /// (<paramref name="bmcCalls"/>), then the handler's own events, then the bookkeeping's (error cleared, state changed,
    /// error, deleted).
    /// </summary>
    public static ReconcileOutcome Apply(HostSnapshot host, IReadOnlyList<HostEvent> bmcCalls, StepOutcome outcome)
    {
        var now = host.Now;
        var (result, changes) = outcome;
        var status = Changed(host.Status, changes);
        List<HostEvent> events = [.. bmcCalls, .. changes.Events];

        if (result is not StepResult.Failed && status.ErrorType is { } recovered)
        {
            status = status.WithoutError();
            events.Add(new HostEvent("ErrorCleared", $"recovered from {ReasonOf(recovered)}"));
        }
        status = status with
        {
            LastUpdated = now,
            OperationalStatus = host.Detached ? OperationalStatus.Detached
                : status.ErrorType is not null ? OperationalStatus.Error
                : status.GoodCredentials ? OperationalStatus.Ok
                : OperationalStatus.Discovered,
        };

        DateTimeOffset? nextLookAt;
        switch (result)
        {
            case StepResult.Advance advance:
                var from = status.Provisioning.State;
                var to = Transitions.Next(from, advance.On);
                status = MovedTo(status, to, now);
                events.Add(new HostEvent("StateChanged", advance.Message, From: from, To: to));
                nextLookAt = now;
                break;
            case StepResult.Wait wait:
                nextLookAt = now + wait.After;
                break;
            case StepResult.Idle idle:
                nextLookAt = now + idle.After;
                break;
            case StepResult.Failed failed:
                int count = status.ErrorCount + 1;
                status = status with
                {
                    ErrorType = failed.Type,
                    ErrorMessage = failed.Message,
                    ErrorCount = count,
                    OperationalStatus = OperationalStatus.Error,
                };
                events.Add(new HostEvent(ReasonOf(failed.Type), failed.Message, Warning: true));
                nextLookAt = now + Backoff.After(count);
                break;
            case StepResult.Removed removed:
                events.Add(new HostEvent("Deleted", removed.Message, From: status.Provisioning.State));
                nextLookAt = null;
                break;
            default:
                throw new InvalidOperationException($"unknown step result {result}");
        }

        return new ReconcileOutcome(
            status,
            changes.Operation is { } operation ? operation.Value : host.Operation,
            changes.RebootRequestDone ? null : host.RebootRequestedAt,
            changes.InspectRequestDone ? null : host.InspectRequestedAt,
            events,
            nextLookAt,
            Remove: result is StepResult.Removed);
    }

    /// <summary>
    /// The status with what the handler found and did. Every <see cref="HostChanges"/> member lands here or in
    /// <see cref="Apply"/>.
    /// </summary>
    private static HostStatus Changed(HostStatus status, HostChanges changes) => status with
    {
        GoodCredentials = changes.GoodCredentials ?? status.GoodCredentials,
        PoweredOn = changes.PoweredOn ?? status.PoweredOn,
        Hardware = changes.Hardware is { } hardware ? hardware.Value : status.Hardware,
        Provisioning = changes.Disk switch
        {
            null => status.Provisioning,
            DiskChange.Writing writing => status.Provisioning with { Progress = writing.Progress },
            DiskChange.Written written => status.Provisioning with
            {
                Image = written.Image,
                BootMode = written.BootMode,
                RootDeviceHints = written.RootDeviceHints,
                Progress = null,
            },
            DiskChange.Cleaned => status.Provisioning with { Image = null, Progress = null },
            _ => throw new InvalidOperationException($"unknown disk change {changes.Disk}"),
        },
    };

    private static HostStatus MovedTo(HostStatus status, ProvisioningState to, DateTimeOffset now)
    {
        var history = status.OperationHistory;
        history = Stamp(history, status.Provisioning.State, start: false, now);
        history = Stamp(history, to, start: true, now);
        return status with
        {
            Provisioning = status.Provisioning with { State = to },
            OperationHistory = history,
        };
    }

    /// <summary>operationHistory: when register, inspect, provision and deprovision started and ended.</summary>
    private static OperationHistory Stamp(OperationHistory h, ProvisioningState state, bool start, DateTimeOffset now)
    {
        OperationMetric Mark(OperationMetric m) => start ? new OperationMetric { Start = now } : m with { End = now };
        return state switch
        {
            ProvisioningState.Registering => h with { Register = Mark(h.Register) },
            ProvisioningState.Inspecting => h with { Inspect = Mark(h.Inspect) },
            ProvisioningState.Provisioning => h with { Provision = Mark(h.Provision) },
            ProvisioningState.Deprovisioning => h with { Deprovision = Mark(h.Deprovision) },
            _ => h,
        };
    }

    private static string ReasonOf(ErrorType type) => type switch
    {
        ErrorType.Registration => "RegistrationError",
        ErrorType.Inspection => "InspectionError",
        ErrorType.Preparation => "PreparationError",
        ErrorType.Provisioning => "ProvisioningError",
        ErrorType.PowerManagement => "PowerManagementError",
        _ => "Detached",
    };
}
