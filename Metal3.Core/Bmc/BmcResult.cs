namespace Metal3.Core.Bmc;

/// <summary>How a BMC call ended. Each failure kind leads the state machine somewhere different.</summary>
public enum BmcOutcome
{
    Ok,
    /// <summary>The BMC refused the username/password (IPMI RAKP failure, Redfish 401 after re-login).</summary>
    WrongCredentials,
    /// <summary>No answer before the deadline, connection refused, DNS failure.</summary>
    Unreachable,
    /// <summary>The BMC or the driver cannot do this (no virtual media, no such boot device).</summary>
    Unsupported,
    /// <summary>The BMC answered with an error (IPMI completion code, Redfish 4xx/5xx).</summary>
    BmcError,
}

/// <summary>The result of a BMC call without a value.</summary>
public readonly record struct BmcResult(BmcOutcome Outcome, string? Message)
{
    public bool IsOk => Outcome == BmcOutcome.Ok;

    public static BmcResult Ok() => new(BmcOutcome.Ok, null);
    public static BmcResult Fail(BmcOutcome outcome, string message) => new(outcome, message);

    public override string ToString() => IsOk ? "ok" : $"{Outcome}: {Message}";
}

/// <summary>The result of a BMC call that returns a value when it succeeds.</summary>
public readonly record struct BmcResult<T>(BmcOutcome Outcome, T? Value, string? Message)
{
    public bool IsOk => Outcome == BmcOutcome.Ok;

    public static BmcResult<T> Ok(T value) => new(BmcOutcome.Ok, value, null);
    public static BmcResult<T> Fail(BmcOutcome outcome, string message) => new(outcome, default, message);
    public static implicit operator BmcResult<T>(BmcResult failure) => new(failure.Outcome, default, failure.Message);

    /// <summary>The same failure, without the value type.</summary>
    public BmcResult WithoutValue() => new(Outcome, Message);

    public override string ToString() => IsOk ? $"ok: {Value}" : $"{Outcome}: {Message}";
}
