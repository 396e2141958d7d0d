using System.Collections.Concurrent;

namespace Metal3.Server.Jobs;

/// <summary>
/// One step per host at a time in this daemon. The host lease keeps other daemons out, but its owner may take it again
/// (that is how it renews), so two jobs of this daemon for one host (an API write's and the sweep's) would both run and
/// call one BMC at once. The second is turned away; the first is then asked to look at the host again when it ends, so
/// what the second was for (an API write just after the first saved) is not left to the safety net.
/// </summary>
public sealed class RunningSteps
{
    private readonly ConcurrentDictionary<Guid, bool> _askedAgain = new();

    /// <summary>True: the step may run (call <see cref="Finish"/> after it). False: one is running and will look again.</summary>
    public bool TryStart(Guid hostId)
    {
        while (true)
        {
            if (_askedAgain.TryAdd(hostId, false))
            {
                return true;
            }
            if (_askedAgain.TryUpdate(hostId, true, false) || _askedAgain.TryGetValue(hostId, out bool already) && already)
            {
                return false;
            }
            // The running step ended in between: try to start again.
        }
    }

    /// <summary>Ends the host's step; true when another job was turned away meanwhile and the host should be looked at again.</summary>
    public bool Finish(Guid hostId) => _askedAgain.TryRemove(hostId, out bool again) && again;
}
