using Metal3.Core.Hosts;

namespace Metal3.Core.Provisioning;

/// <summary>How one reconcile step ended: a closed set, as BMO's action results.</summary>
public abstract record StepResult
{
    private StepResult()
    {
    }

    /// <summary>The state's work is done: take the transition <see cref="On"/> and look again at once.</summary>
    public sealed record Advance(Because On, string Message) : StepResult;

    /// <summary>Work is under way (a power change, the agent): save, and look again after <see cref="After"/>.</summary>
    public sealed record Wait(TimeSpan After) : StepResult;

    /// <summary>Nothing to do until something changes; look again after <see cref="After"/> as a safety net.</summary>
    public sealed record Idle(TimeSpan After) : StepResult;

    /// <summary>The step failed: stay in the state, record the error, retry with back-off.</summary>
    public sealed record Failed(ErrorType Type, string Message) : StepResult;

    /// <summary>The host is off and forgotten: delete its row.</summary>
    public sealed record Removed(string Message) : StepResult;
}
