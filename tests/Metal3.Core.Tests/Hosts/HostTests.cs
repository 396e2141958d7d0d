using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Core.Tests.Provisioning;

namespace Metal3.Core.Tests.Hosts;

public class HostTests
{
    [Fact]
    public async Task A_changed_spec_clears_the_error_so_the_host_is_retried_at_once()
    {
        var h = new ScriptedHost(ProvisioningState.Registering) { BmcAnswer = BmcOutcome.WrongCredentials };
        await h.StepAsync();
        Assert.NotNull(h.Host.Status.ErrorType);

        bool changed = h.Host.ReplaceSpec(h.Host.Spec with { Bmc = h.Host.Spec.Bmc with { Username = "root" } }, "protected");

        Assert.True(changed);
        Assert.Null(h.Host.Status.ErrorType);
        Assert.Equal(0, h.Host.Status.ErrorCount);
        Assert.Equal("protected", h.Host.ProtectedBmcPassword);
        Assert.Equal(["SpecUpdated", "ErrorCleared"], h.Host.NewEvents.Skip(h.Host.NewEvents.Count - 2).Select(e => e.Reason));
        Assert.Contains("registration error cleared", h.Host.NewEvents[^1].Message);
    }

    [Fact]
    public void The_same_spec_without_a_new_password_is_no_change()
    {
        var host = new ScriptedHost(ProvisioningState.Available).Host;
        Assert.False(host.ReplaceSpec(host.Spec with { }, newProtectedBmcPassword: null));
        Assert.Empty(host.NewEvents);
    }

    [Fact]
    public void Deletion_is_requested_once_and_then_refuses_actions()
    {
        var host = new ScriptedHost(ProvisioningState.Available).Host;
        var now = DateTimeOffset.UnixEpoch;

        Assert.True(host.RequestDeletion(now));
        Assert.False(host.RequestDeletion(now));
        Assert.Throws<InvalidOperationException>(() => host.Request(HostAction.Reboot, now));
        Assert.Equal(["DeletionRequested"], host.NewEvents.Select(e => e.Reason));
    }

    [Theory]
    [InlineData(HostAction.Reboot, "RebootRequested")]
    [InlineData(HostAction.Inspect, "InspectionRequested")]
    [InlineData(HostAction.Detach, "DetachRequested")]
    [InlineData(HostAction.Attach, "AttachRequested")]
    public void Each_action_is_recorded_for_the_reconciler(HostAction action, string reason)
    {
        var host = new ScriptedHost(ProvisioningState.Available).Host;
        var now = DateTimeOffset.UnixEpoch;
        host.Request(action, now);

        Assert.Equal(reason, Assert.Single(host.NewEvents).Reason);
        Assert.Equal(action == HostAction.Reboot ? now : null, host.RebootRequestedAt);
        Assert.Equal(action == HostAction.Inspect ? now : null, host.InspectRequestedAt);
        Assert.Equal(action == HostAction.Detach, host.Detached);
    }
}
