namespace Metal3.Server.Jobs;

/// <summary>
/// Keeps a running step inside its host lease. It renews the lease every third of its length; when a renewal finds the
/// lease gone (another daemon took the host) or none succeeds before the lease would run out (the database is away),
/// it cancels <see cref="Token"/>, so the step stops calling the BMC before another daemon may start to. Without it, a
/// step that outlives its lease drives one BMC together with the daemon that took the host over.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource _step;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<CancellationToken, Task<bool>> _renew;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly Task _keeping;

    private LeaseKeeper(Func<CancellationToken, Task<bool>> renew, TimeSpan lease, TimeProvider time, CancellationToken stepToken)
    {
        _renew = renew;
        _lease = lease;
        _time = time;
        _step = CancellationTokenSource.CreateLinkedTokenSource(stepToken);
        _keeping = KeepAsync(time.GetTimestamp());
    }

    /// <summary>
    /// Starts keeping a lease of <paramref name="lease"/> taken just now. <paramref name="renew"/> extends it by its whole
    /// length and says whether this daemon still held it.
    /// </summary>
    public static LeaseKeeper Start(Func<CancellationToken, Task<bool>> renew, TimeSpan lease, TimeProvider time, CancellationToken stepToken) =>
        new(renew, lease, time, stepToken);

    /// <summary>The step's token: cancelled with the caller's, or when the lease is lost or about to run out.</summary>
    public CancellationToken Token => _step.Token;

    /// <summary>Why <see cref="Token"/> was cancelled by the keeper; null while the lease is held.</summary>
    public string? LostBecause { get; private set; }

    /// <summary>
    /// How long before the lease's end the step is cut short when no renewal got through: the time to cancel a BMC call
    /// in flight, and the clocks' disagreement left after measuring them against the database's.
    /// </summary>
    public static TimeSpan Margin(TimeSpan lease) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, lease.Ticks / 10));

    private async Task KeepAsync(long takenAt)
    {
        var heldUntil = _lease - Margin(_lease);   // since takenAt, on the monotonic clock
        var every = _lease / 3;
        var next = every;
        while (!_stop.IsCancellationRequested)
        {
            var elapsed = _time.GetElapsedTime(takenAt);
            var wait = (next < heldUntil ? next : heldUntil) - elapsed;
            if (wait > TimeSpan.Zero && !await DelayAsync(wait))
            {
                return;
            }
            elapsed = _time.GetElapsedTime(takenAt);
            if (elapsed >= heldUntil)
            {
                Lose("no renewal of its lease got through in time");
                return;
            }
            var attempt = elapsed;
            try
            {
                if (!await _renew(_stop.Token))
                {
                    Lose("its lease was taken by another daemon");
                    return;
                }
                heldUntil = attempt + _lease - Margin(_lease);
                next = attempt + every;
            }
            catch (Exception e) when (e is OperationCanceledException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The database away, or any other failure to renew: try again soon; the deadline above cuts the step
                // short if no renewal gets through.
                next = elapsed + TimeSpan.FromSeconds(1);
            }
        }
    }

    private async Task<bool> DelayAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _time, _stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Lose(string why)
    {
        LostBecause = why;
        _step.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _keeping;
        _stop.Dispose();
        _step.Dispose();
    }
}
