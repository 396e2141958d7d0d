using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Core.Tests.Provisioning;

/// <summary>
/// A host, its BMC and its deploy agent as a state machine test scripts them: the BMC answers every call with
/// <see cref="BmcAnswer"/> (power as <see cref="PoweredOn"/> says), the agent reports <see cref="AgentAnswer"/> for any
/// command. Steps run at the fake clock's time and are applied to the host as the reconciler applies them.
/// </summary>
internal sealed class ScriptedHost : IPowerControl, IBootDeviceControl, IInventoryReader, IDeployAgent
{
    public static readonly ImageSpec Image = new() { Url = "http://images/img.raw", Checksum = new string('a', 64) };

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    public Host Host { get; }
    public BmcOutcome BmcAnswer { get; set; } = BmcOutcome.Ok;
    public bool PoweredOn { get; set; }
    public AgentProgress AgentAnswer { get; set; } = new AgentProgress.Succeeded();
    public List<PowerAction> PowerChanges { get; } = [];

    public ScriptedHost(ProvisioningState state, Given given = Given.Nothing)
    {
        var image = given == Given.Image ? Image : null;
        var spec = new HostSpec
        {
            Name = "h1",
            BootMacAddress = "52:54:00:00:00:01",
            Bmc = new BmcDetails { Address = "ipmi://198.18.0.10" },
            Image = image,
            ExternallyProvisioned = given == Given.ExternallyProvisioned,
        };
        var status = HostStatus.Initial(Clock.GetUtcNow());
        status = status with { GoodCredentials = true, Provisioning = status.Provisioning with { State = state, Image = image } };
        Host = Host.Restore(Guid.NewGuid(), "h1", Clock.GetUtcNow(), 1, spec, null, status, operation: null,
            deletionRequestedAt: null, rebootRequestedAt: null, inspectRequestedAt: null, detached: false);
    }

    /// <summary>One reconcile now; its changes and events end up on <see cref="Host"/>.</summary>
    public async Task<ReconcileOutcome> StepAsync()
    {
        var snapshot = Host.Snapshot(Clock.GetUtcNow());
        var outcome = await StateMachine.StepAsync(snapshot, Bmc, this, CancellationToken.None);
        Host.ApplyReconcile(outcome);
        return outcome;
    }

    /// <summary>This scripted BMC as the state machine is handed it.</summary>
    public BmcConnection Bmc => new(this, this, this, Unsupported);

    private static readonly Unsupported Unsupported = new("no virtual media in these tests");

    private string Message => $"scripted {BmcAnswer}";

    public Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult(BmcAnswer == BmcOutcome.Ok
            ? BmcResult<PowerState>.Ok(PoweredOn ? PowerState.On : PowerState.Off)
            : BmcResult<PowerState>.Fail(BmcAnswer, Message));

    public Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct)
    {
        if (BmcAnswer != BmcOutcome.Ok)
        {
            return Task.FromResult(BmcResult.Fail(BmcAnswer, Message));
        }
        PowerChanges.Add(action);
        PoweredOn = action is PowerAction.On or PowerAction.Reboot or PowerAction.PowerCycle;
        return Task.FromResult(BmcResult.Ok());
    }

    public Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult(BmcAnswer == BmcOutcome.Ok ? BmcResult.Ok() : BmcResult.Fail(BmcAnswer, Message));

    public Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Unsupported.GetBootDeviceAsync(deadline, ct);

    public Task<BmcResult<HardwareDetails>> ReadInventoryAsync(DateTimeOffset deadline, CancellationToken ct) =>
        Task.FromResult(BmcAnswer == BmcOutcome.Ok
            ? BmcResult<HardwareDetails>.Ok(new HardwareDetails { RamMebibytes = 4096 })
            : BmcResult<HardwareDetails>.Fail(BmcAnswer, Message));

    public Task<AgentProgress> StartAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) => Task.FromResult(AgentAnswer);

    public Task<AgentProgress> PollAsync(HostSnapshot host, HostOperation operation, CancellationToken ct) => Task.FromResult(AgentAnswer);
}
