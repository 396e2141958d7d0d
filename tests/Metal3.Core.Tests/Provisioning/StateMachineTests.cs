using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using S = Metal3.Core.Provisioning.ProvisioningState;

namespace Metal3.Core.Tests.Provisioning;

/// <summary>One reconcile step per row, against a scripted BMC and agent: where the host goes, and how it fails.</summary>
public class StateMachineTests
{
    [Theory]
    //          from                       given                        to
    [InlineData(S.Registering,             Given.Nothing,               S.Inspecting)]
    [InlineData(S.Registering,             Given.ExternallyProvisioned, S.ExternallyProvisioned)]
    [InlineData(S.Inspecting,              Given.Nothing,               S.Preparing)]
    [InlineData(S.Preparing,               Given.Nothing,               S.Available)]
    [InlineData(S.Available,               Given.Image,                 S.Provisioning)]
    [InlineData(S.Provisioning,            Given.Image,                 S.Provisioned)]
    [InlineData(S.Provisioning,            Given.Nothing,               S.Deprovisioning)]               // image cleared while provisioning
    [InlineData(S.Provisioned,             Given.Nothing,               S.Deprovisioning)]               // image cleared
    [InlineData(S.Deprovisioning,          Given.Nothing,               S.Available)]
    [InlineData(S.ExternallyProvisioned,   Given.Nothing,               S.Inspecting)]                   // no longer externally provisioned
    [InlineData(S.Deleting,                Given.Nothing,               S.PoweringOffBeforeDelete)]      // nothing written: nothing to clean
    [InlineData(S.Deleting,                Given.Image,                 S.PoweringOffBeforeDelete)]      // cleaned first
    public async Task A_step_that_finishes_moves_along_the_table_and_looks_again_at_once(
        ProvisioningState from, Given given, ProvisioningState to)
    {
        var h = new ScriptedHost(from, given);
        var outcome = await h.StepAsync();

        Assert.Equal(to, h.Host.State);
        Assert.Equal(h.Clock.GetUtcNow(), outcome.NextLookAt);
        var moved = Assert.Single(h.Host.NewEvents, e => e.Reason == "StateChanged");
        Assert.Equal((from, to), (moved.From!.Value, moved.To!.Value));
    }

    [Theory]
    [InlineData(S.Available, Given.Nothing)]
    [InlineData(S.Provisioned, Given.Image)]
    [InlineData(S.ExternallyProvisioned, Given.ExternallyProvisioned)]
    public async Task A_resting_host_whose_power_is_as_asked_stays_idle_until_the_resync(ProvisioningState state, Given given)
    {
        var h = new ScriptedHost(state, given);
        var outcome = await h.StepAsync();

        Assert.Equal(state, h.Host.State);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(10), outcome.NextLookAt);
        Assert.Empty(h.PowerChanges);
    }

    [Theory]
    //          state                      given                        failing part
    [InlineData(S.Registering,             Given.Nothing,               "bmc")]
    [InlineData(S.Inspecting,              Given.Nothing,               "agent")]
    [InlineData(S.Inspecting,              Given.Nothing,               "bmc inventory")]
    [InlineData(S.Preparing,               Given.Nothing,               "agent")]
    [InlineData(S.Available,               Given.Nothing,               "bmc")]
    [InlineData(S.Provisioning,            Given.Image,                 "agent")]
    [InlineData(S.Provisioned,             Given.Image,                 "bmc")]
    [InlineData(S.Deprovisioning,          Given.Nothing,               "agent")]
    [InlineData(S.ExternallyProvisioned,   Given.ExternallyProvisioned, "bmc")]
    [InlineData(S.Deleting,                Given.Image,                 "agent")]
    [InlineData(S.PoweringOffBeforeDelete, Given.Nothing,               "bmc")]
    public async Task A_failure_stays_in_the_state_with_the_error_type_its_description_names(
        ProvisioningState state, Given given, string failing)
    {
        var h = new ScriptedHost(state, given);
        if (failing == "agent")
        {
            h.AgentAnswer = new AgentProgress.Failed("disk on fire");
        }
        else
        {
            h.AgentAnswer = new AgentProgress.Unavailable("no agent here");
            h.BmcAnswer = BmcOutcome.Unreachable;
        }
        var outcome = await h.StepAsync();

        Assert.Equal(state, h.Host.State);
        Assert.Equal(StateDescriptions.All[state].FailsWith, h.Host.Status.ErrorType);
        Assert.Equal(OperationalStatus.Error, h.Host.Status.OperationalStatus);
        Assert.Equal(1, h.Host.Status.ErrorCount);
        Assert.Equal(h.Clock.GetUtcNow() + Backoff.After(1), outcome.NextLookAt);
        Assert.Contains(h.Host.NewEvents, e => e.Warning);
    }

    [Theory]
    [InlineData(S.Inspecting, Given.Nothing)]
    [InlineData(S.Preparing, Given.Nothing)]
    [InlineData(S.Provisioning, Given.Image)]
    [InlineData(S.Deprovisioning, Given.Nothing)]
    public async Task A_host_the_bmc_cannot_boot_into_the_agent_is_a_power_management_error_in_any_state(
        ProvisioningState state, Given given)
    {
        var h = new ScriptedHost(state, given) { AgentAnswer = new AgentProgress.Running(), BmcAnswer = BmcOutcome.BmcError };
        await h.StepAsync();

        Assert.Equal(state, h.Host.State);
        Assert.Equal(ErrorType.PowerManagement, h.Host.Status.ErrorType);
        Assert.Null(h.Host.Operation);
    }

    [Theory]
    [InlineData(S.Inspecting, Given.Nothing, OperationKind.Inspect)]
    [InlineData(S.Preparing, Given.Nothing, OperationKind.Clean)]
    [InlineData(S.Provisioning, Given.Image, OperationKind.Deploy)]
    [InlineData(S.Deprovisioning, Given.Nothing, OperationKind.Clean)]
    [InlineData(S.Deleting, Given.Image, OperationKind.Clean)]
    public async Task Agent_work_boots_the_host_into_the_agent_once_and_then_polls(ProvisioningState state, Given given, OperationKind kind)
    {
        var h = new ScriptedHost(state, given) { AgentAnswer = new AgentProgress.Running() };
        var started = await h.StepAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var polled = await h.StepAsync();

        Assert.Equal(state, h.Host.State);
        Assert.Equal(kind, h.Host.Operation?.Kind);
        Assert.Equal([PowerAction.Reboot], h.PowerChanges);
        Assert.Equal(h.Clock.GetUtcNow(), started.NextLookAt);
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromSeconds(2), polled.NextLookAt);
    }

    [Fact]
    public async Task Errors_back_off_on_the_clock_and_clear_when_the_step_succeeds()
    {
        var h = new ScriptedHost(S.Registering) { BmcAnswer = BmcOutcome.WrongCredentials };
        var first = await h.StepAsync();
        h.Clock.Advance(Backoff.After(1));
        var second = await h.StepAsync();

        Assert.Equal(h.Clock.GetUtcNow() + Backoff.After(2), second.NextLookAt);
        Assert.Equal(2, h.Host.Status.ErrorCount);
        Assert.False(h.Host.Status.GoodCredentials);
        Assert.NotEqual(first.NextLookAt, second.NextLookAt);

        h.BmcAnswer = BmcOutcome.Ok;
        h.Clock.Advance(Backoff.After(2));
        await h.StepAsync();

        Assert.Equal(S.Inspecting, h.Host.State);
        Assert.Null(h.Host.Status.ErrorType);
        Assert.Equal(0, h.Host.Status.ErrorCount);
        Assert.Contains(h.Host.NewEvents, e => e.Reason == "ErrorCleared");
    }

    [Fact]
    public async Task A_deletion_request_leaves_any_state_for_deleting_first()
    {
        var h = new ScriptedHost(S.Provisioned, Given.Image);
        Assert.True(h.Host.RequestDeletion(h.Clock.GetUtcNow()));
        await h.StepAsync();
        Assert.Equal(S.Deleting, h.Host.State);
    }

    [Fact]
    public async Task A_host_that_is_off_is_removed_when_powering_off_before_delete()
    {
        var h = new ScriptedHost(S.PoweringOffBeforeDelete);
        var outcome = await h.StepAsync();
        Assert.True(outcome.Remove);
        Assert.Contains(h.Host.NewEvents, e => e.Reason == "Deleted");
    }
}
