namespace Metal3.Server.Claims;

/// <summary>
/// Wakes this daemon's binding loop when a claim is written. Losing a nudge costs at most one tick of the loop, which
/// looks at every claim on its own anyway: the rows, not the nudges, are the truth.
/// </summary>
public sealed class ClaimNudges
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Nudge()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // One nudge waiting is as good as many.
        }
    }

    /// <summary>Returns when nudged or after <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
