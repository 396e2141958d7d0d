namespace Metal3.E2E.Lab;

/// <summary><see cref="Eventually"/> at the lab's pace: its conditions ask the daemon's API or read a serial console,
/// once a second unless said otherwise.</summary>
internal static class Wait
{
    public static Task Until(Func<bool> condition, TimeSpan deadline, Func<string> what, TimeSpan? poll = null) =>
        Eventually.Until(condition, deadline, what, poll ?? TimeSpan.FromSeconds(1));
}
