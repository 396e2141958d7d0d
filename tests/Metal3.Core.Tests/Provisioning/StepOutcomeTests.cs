using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using S = Metal3.Core.Provisioning.ProvisioningState;

namespace Metal3.Core.Tests.Provisioning;

/// <summary>A handler decides and returns an outcome; the state machine applies it (issue 14).</summary>
public class StepOutcomeTests
{
    [Fact]
    public async Task An_inspecting_step_returns_the_hardware_it_found_and_the_state_machine_puts_it_on_the_status()
    {
        var hardware = new HardwareDetails { RamMebibytes = 65536 };
        var h = new ScriptedHost(S.Inspecting) { AgentAnswer = new AgentProgress.Succeeded(hardware) };
        var snapshot = h.Host.Snapshot(h.Clock.GetUtcNow());
        var before = snapshot.Status;

        var decided = await StateMachine.DecideAsync(snapshot, h.Bmc, h, CancellationToken.None);

        Assert.Equal(new StepResult.Advance(Because.StepDone, "inspected by the deploy agent"), decided.Result);
        Assert.Same(hardware, decided.Changes.Hardware?.Value);
        Assert.Same(before, snapshot.Status);
        Assert.Null(snapshot.Status.Hardware);

        var applied = StateMachine.Apply(snapshot, [], decided);

        Assert.Same(hardware, applied.Status.Hardware);
        Assert.Equal(S.Preparing, applied.Status.Provisioning.State);
        Assert.Null(applied.Operation);
        Assert.Equal(["StateChanged"], applied.Events.Select(e => e.Reason));
        // Applying builds the new status; the snapshot, and the host it came from, stay as they were until the job saves.
        Assert.Same(before, snapshot.Status);
        Assert.Null(h.Host.Status.Hardware);
        Assert.True(h.Host.ApplyReconcile(applied));
        Assert.Same(hardware, h.Host.Status.Hardware);
    }

    [Fact]
    public async Task A_steps_events_come_as_they_happened_the_bmc_calls_then_the_handlers_own_then_the_bookkeeping()
    {
        // spec.online is false and the host is on: the first step cannot read the power, the second shuts the host down.
        var h = new ScriptedHost(S.Available) { PoweredOn = true, BmcAnswer = BmcOutcome.BmcError };
        await h.StepAsync();
        h.BmcAnswer = BmcOutcome.Ok;
        h.Clock.Advance(Backoff.After(1));
        await h.StepAsync();

        Assert.Equal(
            [
                (BmcTimeline.Reason, true), ("PowerManagementError", true),
                (BmcTimeline.Reason, false), ("PowerOff", false), ("ErrorCleared", false),
            ],
            h.Host.NewEvents.Select(e => (e.Reason, e.Warning)));
        Assert.StartsWith("set power softoff: ok", h.Host.NewEvents[2].Message);
        Assert.Equal(new HostOperation(OperationKind.SoftPowerOff, h.Clock.GetUtcNow()), h.Host.Operation);
        Assert.Equal([PowerAction.SoftOff], h.PowerChanges);
    }
}
