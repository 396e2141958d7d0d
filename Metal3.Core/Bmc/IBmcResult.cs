namespace Metal3.Core.Bmc;

/// <summary>
/// What every BMC result has, so code that handles any call (the filters on the call path) can read how it ended and
/// make a failure of the same type without knowing what the call returns.
/// </summary>
public interface IBmcResult<TSelf> where TSelf : IBmcResult<TSelf>
{
    BmcOutcome Outcome { get; }
    string? Message { get; }
    static abstract TSelf Fail(BmcOutcome outcome, string message);
}
