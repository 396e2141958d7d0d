using Metal3.Core.Hosts;

namespace Metal3.Data;

/// <summary>
/// What a write made of the host it was shown (<see cref="HostStore.UpdateAsync{T}"/>): save what its methods changed,
/// leave it as it is, or refuse with an answer of the caller's kind.
/// </summary>
public sealed record HostDecision<T> where T : class
{
    private HostDecision()
    {
    }

    public T? Refusal { get; private init; }

    /// <summary>Set when the host is to be saved: when the reconciler should look at it at the latest.</summary>
    public DateTimeOffset? LookAgainAt { get; private init; }

    public bool RetryWhenStale { get; private init; }

    public static readonly HostDecision<T> Unchanged = new();

    public static HostDecision<T> Refuse(T why) => new() { Refusal = why };

    /// <summary>Save; should another writer get in between, decide again on what it wrote.</summary>
    public static HostDecision<T> Save(DateTimeOffset lookAgainAt) => new() { LookAgainAt = lookAgainAt, RetryWhenStale = true };

    /// <summary>Save only the version decided on (a conditional request): a conflict is the caller's to see, not to retry.</summary>
    public static HostDecision<T> SaveOnce(DateTimeOffset lookAgainAt) => new() { LookAgainAt = lookAgainAt };
}
