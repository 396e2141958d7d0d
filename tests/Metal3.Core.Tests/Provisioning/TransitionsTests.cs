using Metal3.Core.Provisioning;

namespace Metal3.Core.Tests.Provisioning;

public class TransitionsTests
{
    private static readonly ProvisioningState[] AllStates = Enum.GetValues<ProvisioningState>();
    private static readonly ProvisioningState[] DeletionStates = [ProvisioningState.Deleting, ProvisioningState.PoweringOffBeforeDelete];

    [Fact]
    public void Every_state_is_reachable_from_enrollment()
    {
        var reached = new HashSet<ProvisioningState> { ProvisioningState.Registering };
        var frontier = new Queue<ProvisioningState>(reached);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var t in Transitions.All.Where(t => t.From == state && reached.Add(t.To)))
            {
                frontier.Enqueue(t.To);
            }
        }
        Assert.Equal(AllStates.Order(), reached.Order());
    }

    [Fact]
    public void Deleting_is_reachable_from_every_state_but_the_deletion_states()
    {
        foreach (var state in AllStates.Except(DeletionStates))
        {
            Assert.True(Transitions.TryNext(state, Because.DeletionRequested, out var to), $"{state} cannot be deleted");
            Assert.Equal(ProvisioningState.Deleting, to);
        }
    }

    [Fact]
    public void No_state_is_a_dead_end()
    {
        // Powering off before delete ends by removing the row (StepResult.Removed), not by a transition.
        foreach (var state in AllStates.Where(s => s != ProvisioningState.PoweringOffBeforeDelete))
        {
            Assert.Contains(Transitions.All, t => t.From == state);
        }
        Assert.Contains(Transitions.All, t => t.To == ProvisioningState.PoweringOffBeforeDelete);
    }

    [Fact]
    public void Each_state_and_cause_has_one_transition_at_most()
    {
        var duplicates = Transitions.All.GroupBy(t => (t.From, t.On)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_state_has_a_handler_and_a_description()
    {
        Assert.Equal(AllStates.Order(), StateMachine.HandledStates.Order());
        Assert.Equal(AllStates.Order(), StateDescriptions.All.Keys.Order());
    }

    [Fact]
    public void Every_state_that_can_fail_has_a_way_out_of_its_error()
    {
        // A failing host stays put and retries; the operator's ways out are a spec change (which retries at once),
        // deletion, or detach (which deletes without BMC calls). Deletion exists from every state but the deletion
        // states, whose own way out is detach (DeletionSteps) - checked here by the table and the handler messages.
        foreach (var d in StateDescriptions.All.Values)
        {
            bool deletable = Transitions.TryNext(d.State, Because.DeletionRequested, out _);
            Assert.True(deletable || DeletionStates.Contains(d.State), $"{d.State} has no way out of {d.FailsWith}");
        }
    }

    [Theory]
    [InlineData(ProvisioningState.Registering, Because.StepDone, ProvisioningState.Inspecting)]
    [InlineData(ProvisioningState.Registering, Because.ExternallyProvisioned, ProvisioningState.ExternallyProvisioned)]
    [InlineData(ProvisioningState.Inspecting, Because.StepDone, ProvisioningState.Preparing)]
    [InlineData(ProvisioningState.Preparing, Because.StepDone, ProvisioningState.Available)]
    [InlineData(ProvisioningState.Available, Because.ImageSet, ProvisioningState.Provisioning)]
    [InlineData(ProvisioningState.Available, Because.InspectionRequested, ProvisioningState.Inspecting)]
    [InlineData(ProvisioningState.Provisioning, Because.StepDone, ProvisioningState.Provisioned)]
    [InlineData(ProvisioningState.Provisioned, Because.ImageCleared, ProvisioningState.Deprovisioning)]
    [InlineData(ProvisioningState.Deprovisioning, Because.StepDone, ProvisioningState.Available)]
    [InlineData(ProvisioningState.Deleting, Because.StepDone, ProvisioningState.PoweringOffBeforeDelete)]
    public void The_metal3_flow_is_in_the_table(ProvisioningState from, Because on, ProvisioningState to) =>
        Assert.Equal(to, Transitions.Next(from, on));

    [Theory]
    [InlineData(ProvisioningState.Provisioned, Because.ImageSet)]
    [InlineData(ProvisioningState.Registering, Because.ImageSet)]
    [InlineData(ProvisioningState.Deleting, Because.DeletionRequested)]
    public void Transitions_not_in_the_table_are_refused(ProvisioningState from, Because on)
    {
        Assert.False(Transitions.TryNext(from, on, out _));
        Assert.Throws<InvalidOperationException>(() => Transitions.Next(from, on));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(7, 320)]
    [InlineData(8, 600)]
    [InlineData(1000, 600)]
    public void Backoff_doubles_and_is_capped(int errors, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.After(errors));
}
