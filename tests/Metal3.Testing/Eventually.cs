using System.Diagnostics;

namespace Metal3.Testing;

/// <summary>
/// Waiting for something the test can observe, polling it until it holds: the one way the tests wait, so none of them
/// sleeps a fixed time and hopes. A deadline that passes fails with a message built only then (from logs, the last state).
/// </summary>
public static class Eventually
{
    /// <summary>Polls a cheap, in-process condition every 20 ms unless <paramref name="poll"/> says otherwise.</summary>
    public static Task Until(Func<bool> condition, TimeSpan deadline, string what) => Until(condition, deadline, () => what);

    /// <inheritdoc cref="Until(Func{bool}, TimeSpan, string)"/>
    public static Task Until(Func<bool> condition, TimeSpan deadline, Func<string> what, TimeSpan? poll = null) =>
        Until(() => Task.FromResult(condition()), deadline, () => Task.FromResult(what()), poll ?? TimeSpan.FromMilliseconds(20));

    /// <summary>
    /// Polls a condition that asks something else (a daemon's API, a process) every 200 ms unless <paramref name="poll"/>
    /// says otherwise. An exception from the condition fails at once: it is how a condition says "this will never hold".
    /// </summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan deadline, Func<Task<string>> what, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"timed out after {deadline} waiting for {await what().ConfigureAwait(false)}");
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        }
    }
}
