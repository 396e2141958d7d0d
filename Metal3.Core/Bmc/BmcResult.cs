using System.Diagnostics.CodeAnalysis;

namespace Metal3.Core.Bmc;

/// <summary>The result of a BMC call without a value.</summary>
public readonly record struct BmcResult(BmcOutcome Outcome, string? Message) : IBmcResult<BmcResult>
{
    public bool IsOk => Outcome == BmcOutcome.Ok;

    public static BmcResult Ok() => new(BmcOutcome.Ok, null);
    public static BmcResult Fail(BmcOutcome outcome, string message) => new(outcome, message);

    public override string ToString() => IsOk ? "ok" : $"{Outcome}: {Message}";
}

/// <summary>
/// The result of a BMC call that returns a value when it succeeds: <see cref="IsOk"/> tells the compiler that
/// <see cref="Value"/> is set. A class, not a struct, so that no default instance can claim success without a value.
/// </summary>
public sealed record BmcResult<T> : IBmcResult<BmcResult<T>> where T : notnull
{
    private BmcResult(BmcOutcome outcome, T? value, string? message)
    {
        Outcome = outcome;
        Value = value;
        Message = message;
    }

    public BmcOutcome Outcome { get; }

    /// <summary>The value when the call succeeded; <c>default</c> otherwise.</summary>
    public T? Value { get; }

    public string? Message { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsOk => Outcome == BmcOutcome.Ok;

    public static BmcResult<T> Ok(T value) => new(BmcOutcome.Ok, value ?? throw new ArgumentNullException(nameof(value)), null);

    public static BmcResult<T> Fail(BmcOutcome outcome, string message) =>
        outcome == BmcOutcome.Ok ? throw new ArgumentException("a failure needs a failing outcome", nameof(outcome)) : new(outcome, default, message);

    /// <summary>A failure carries over to a call with a value; a success cannot, because it would have none.</summary>
    public static implicit operator BmcResult<T>(BmcResult failure) => Fail(failure.Outcome, failure.Message ?? "");

    /// <summary>The same outcome, without the value.</summary>
    public BmcResult WithoutValue() => new(Outcome, Message);

    public override string ToString() => IsOk ? $"ok: {Value}" : $"{Outcome}: {Message}";
}
