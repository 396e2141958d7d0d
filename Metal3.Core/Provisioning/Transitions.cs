namespace Metal3.Core.Provisioning;

/// <summary>
/// The provisioning state machine as data (DESIGN.md "Provisioning states"). Failures never move a host: the host stays
/// where it failed with an error type, and retries with back-off (see <see cref="StateDescriptions"/>).
/// </summary>
public static class Transitions
{
    private const ProvisioningState Registering = ProvisioningState.Registering;
    private const ProvisioningState Inspecting = ProvisioningState.Inspecting;
    private const ProvisioningState Preparing = ProvisioningState.Preparing;
    private const ProvisioningState Available = ProvisioningState.Available;
    private const ProvisioningState Provisioning = ProvisioningState.Provisioning;
    private const ProvisioningState Provisioned = ProvisioningState.Provisioned;
    private const ProvisioningState Deprovisioning = ProvisioningState.Deprovisioning;
    private const ProvisioningState External = ProvisioningState.ExternallyProvisioned;
    private const ProvisioningState Deleting = ProvisioningState.Deleting;
    private const ProvisioningState PoweringOff = ProvisioningState.PoweringOffBeforeDelete;

    public static readonly IReadOnlyList<Transition> All =
    [
        //  from            on                                     to
        new(Registering,    Because.StepDone,                      Inspecting),
        new(Registering,    Because.ExternallyProvisioned,         External),
        new(Inspecting,     Because.StepDone,                      Preparing),
        new(Preparing,      Because.StepDone,                      Available),
        new(Available,      Because.ImageSet,                      Provisioning),
        new(Available,      Because.InspectionRequested,           Inspecting),
        new(Available,      Because.ExternallyProvisioned,         External),
        new(Provisioning,   Because.StepDone,                      Provisioned),
        new(Provisioning,   Because.ImageCleared,                  Deprovisioning),
        new(Provisioned,    Because.ImageCleared,                  Deprovisioning),
        new(Deprovisioning, Because.StepDone,                      Available),
        new(External,       Because.NoLongerExternallyProvisioned, Inspecting),
        new(Deleting,       Because.StepDone,                      PoweringOff),
        // Deleting is reachable from every other state.
        new(Registering,    Because.DeletionRequested,             Deleting),
        new(Inspecting,     Because.DeletionRequested,             Deleting),
        new(Preparing,      Because.DeletionRequested,             Deleting),
        new(Available,      Because.DeletionRequested,             Deleting),
        new(Provisioning,   Because.DeletionRequested,             Deleting),
        new(Provisioned,    Because.DeletionRequested,             Deleting),
        new(Deprovisioning, Because.DeletionRequested,             Deleting),
        new(External,       Because.DeletionRequested,             Deleting),
        // powering off before delete: StepDone removes the row (no state after it).
    ];

    private static readonly Dictionary<(ProvisioningState, Because), ProvisioningState> ByFromAndCause =
        All.ToDictionary(t => (t.From, t.On), t => t.To);

    public static bool TryNext(ProvisioningState from, Because on, out ProvisioningState to) =>
        ByFromAndCause.TryGetValue((from, on), out to);

    public static ProvisioningState Next(ProvisioningState from, Because on) =>
        TryNext(from, on, out var to)
            ? to
            : throw new InvalidOperationException($"no transition from {from} on {on}");
}
