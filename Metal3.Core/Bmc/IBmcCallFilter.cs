namespace Metal3.Core.Bmc;

/// <summary>
/// Work done around every BMC call: the host's timeline, metrics, the guard of the never-throws contract. A filter
/// awaits <c>next</c> once, or answers for the driver without it.
/// </summary>
public interface IBmcCallFilter
{
    Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct) where TResult : IBmcResult<TResult>;
}
