using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning.Steps;

namespace Metal3.Core.Provisioning;

/// <summary>
/// One reconcile step: the handler of the host's state runs (at most one step of work through the driver), and the
/// bookkeeping of the result (state, errors, history, events, next look) is done here, once, for every state.
/// </summary>
public static class StateMachine
{
    private static readonly Dictionary<ProvisioningState, Func<StepContext, Task<StepResult>>> Handlers = new()
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

    public static async Task<ReconcileOutcome> StepAsync(HostSnapshot host, BmcConnection bmc, IDeployAgent agent, CancellationToken ct)
    {
        var result = await DecideAsync(host, bmc, agent, ct);
        return Apply(host, result);
    }

    private static async Task<StepResult> DecideAsync(HostSnapshot host, BmcConnection bmc, IDeployAgent agent, CancellationToken ct)
    {
        bool deleting = host.State is ProvisioningState.Deleting or ProvisioningState.PoweringOffBeforeDelete;
        if (host.DeletionRequested && !deleting)
        {
            host.Operation = null;
            return new StepResult.Advance(Because.DeletionRequested, "deletion requested");
        }
        if (host.Detached)
        {
            return deleting
                ? new StepResult.Removed("detached: removed without BMC calls")
                : new StepResult.Idle(StepContext.Resync);
        }
        return await Handlers[host.State](new StepContext(host, BmcTimeline.RecordingOn(host, bmc), agent, ct));
    }

    /// <summary>The bookkeeping of every step: BMO's updateHostStateFrom, in one place.</summary>
    public static ReconcileOutcome Apply(HostSnapshot host, StepResult result)
    {
        var now = host.Now;
        if (result is not StepResult.Failed)
        {
            ClearError(host);
        }
        host.Status = host.Status with
        {
            LastUpdated = now,
            OperationalStatus = host.Detached ? OperationalStatus.Detached
                : host.Status.ErrorType is not null ? OperationalStatus.Error
                : host.Status.GoodCredentials ? OperationalStatus.Ok
                : OperationalStatus.Discovered,
        };
        switch (result)
        {
            case StepResult.Advance advance:
                MoveTo(host, Transitions.Next(host.State, advance.On), advance.Message);
                return new ReconcileOutcome(now, Remove: false);
            case StepResult.Wait wait:
                return new ReconcileOutcome(now + wait.After, Remove: false);
            case StepResult.Idle idle:
                return new ReconcileOutcome(now + idle.After, Remove: false);
            case StepResult.Failed failed:
                int count = host.Status.ErrorCount + 1;
                host.Status = host.Status with
                {
                    ErrorType = failed.Type,
                    ErrorMessage = failed.Message,
                    ErrorCount = count,
                    OperationalStatus = OperationalStatus.Error,
                };
                host.Events.Add(new HostEvent(ReasonOf(failed.Type), failed.Message, Warning: true));
                return new ReconcileOutcome(now + Backoff.After(count), Remove: false);
            case StepResult.Removed removed:
                host.Events.Add(new HostEvent("Deleted", removed.Message, From: host.State));
                return new ReconcileOutcome(null, Remove: true);
            default:
                throw new InvalidOperationException($"unknown step result {result}");
        }
    }

    private static void ClearError(HostSnapshot host)
    {
        if (host.Status.ErrorType is { } type)
        {
            host.Status = host.Status.WithoutError();
            host.Record("ErrorCleared", $"recovered from {ReasonOf(type)}");
        }
    }

    private static void MoveTo(HostSnapshot host, ProvisioningState to, string message)
    {
        var from = host.State;
        var now = host.Now;
        var history = host.Status.OperationHistory;
        history = Stamp(history, from, start: false, now);
        history = Stamp(history, to, start: true, now);
        host.Status = host.Status with
        {
            Provisioning = host.Status.Provisioning with { State = to },
            OperationHistory = history,
        };
        host.Events.Add(new HostEvent("StateChanged", message, From: from, To: to));
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
