namespace Metal3.Core.Provisioning;

/// <summary>
/// What a state handler decided in one step: how the step ended (<see cref="Result"/>, which the state machine books as
/// a transition, an error with back-off, a wait or a removal) and what it changes on the host (<see cref="Changes"/>).
/// Handlers return this instead of changing the host; <see cref="StateMachine.Apply"/> applies both, in one place.
/// </summary>
public sealed record StepOutcome(StepResult Result, HostChanges Changes)
{
    /// <summary>A step that changes nothing on the host beyond what its result books.</summary>
    public static implicit operator StepOutcome(StepResult result) => new(result, HostChanges.None);
}
