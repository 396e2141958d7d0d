using System.Collections.Concurrent;
using Metal3.Core.Bmc;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers;

/// <summary>
/// One circuit per BMC, around every call to it (the reconciler, power sync, inspection: whatever goes through
/// <see cref="BmcDriverRegistry"/>). After <see cref="OpensAfter"/> calls in a row that got no answer the circuit opens:
/// calls fail at once as <see cref="BmcOutcome.Unreachable"/> without touching the network, except one probe when its
/// time comes, <see cref="BmcProbeTiming.First"/> after opening and then twice as long each time, up to <see cref="BmcProbeTiming.Cap"/>. The
/// first answer of any kind (even an error: the BMC is there) closes it. So a dead BMC costs a few calls an hour, not a
/// 20-second timeout per host per try, and a BMC that comes back is noticed within one probe interval.
/// </summary>
public sealed partial class BmcCircuitBreaker(TimeProvider time, BmcProbeTiming timing, ILogger<BmcCircuitBreaker> log) : IBmcCallFilter
{
    public const int OpensAfter = 3;

    /// <summary>The same words every time, so that repeated failures read (and collapse) as one event.</summary>
    public const string OpenMessage = "not called: this BMC has not answered its last calls; it is probed again with back-off";

    private readonly ConcurrentDictionary<string, Circuit> _circuits = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When the next probe of an open circuit may go out; null while the circuit is closed.</summary>
    public DateTimeOffset? NextProbeAt(BmcAddress address) =>
        _circuits.TryGetValue(Key(address), out var circuit) ? circuit.NextProbeAt : null;

    public async Task<TResult> InvokeAsync<TResult>(BmcCall call, Func<Task<TResult>> next, CancellationToken ct)
        where TResult : IBmcResult<TResult>
    {
        if (call.Address is not { } address)
        {
            return await next();
        }
        string key = Key(address);
        var circuit = _circuits.GetOrAdd(key, _ => new Circuit(timing));
        if (!circuit.TryEnter(time.GetUtcNow(), out bool probe))
        {
            return TResult.Fail(BmcOutcome.Unreachable, OpenMessage);
        }
        bool answered = false;
        try
        {
            var result = await next();
            answered = result.Outcome != BmcOutcome.Unreachable;
            return result;
        }
        finally
        {
            var change = circuit.Record(answered, probe, time.GetUtcNow());
            if (change == CircuitChange.Opened)
            {
                LogOpened(log, key, OpensAfter, timing.First);
            }
            else if (change == CircuitChange.Closed)
            {
                LogClosed(log, key);
            }
        }
    }

    /// <summary>One BMC: scheme, host and port (several Redfish systems behind one BMC share it; a fake BMC is its ID).</summary>
    private static string Key(BmcAddress address) => $"{address.Scheme}://{address.Host}:{address.Port}";

    private enum CircuitChange { None, Opened, Closed }

    private sealed class Circuit(BmcProbeTiming timing)
    {
        private readonly Lock _gate = new();
        private int _failures;
        private DateTimeOffset? _openUntil;
        private TimeSpan _probeDelay = timing.First;
        private bool _probing;

        public DateTimeOffset? NextProbeAt
        {
            get
            {
                lock (_gate)
                {
                    return _openUntil;
                }
            }
        }

        /// <summary>False when the circuit is open and this call may not go out; <paramref name="probe"/> when it is the probe.</summary>
        public bool TryEnter(DateTimeOffset now, out bool probe)
        {
            lock (_gate)
            {
                probe = false;
                if (_openUntil is not { } until)
                {
                    return true;
                }
                if (_probing || now < until)
                {
                    return false;
                }
                _probing = probe = true;
                return true;
            }
        }

        public CircuitChange Record(bool answered, bool probe, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (probe)
                {
                    _probing = false;
                }
                if (answered)
                {
                    bool wasOpen = _openUntil is not null;
                    _failures = 0;
                    _openUntil = null;
                    _probeDelay = timing.First;
                    return wasOpen ? CircuitChange.Closed : CircuitChange.None;
                }
                _failures++;
                if (probe)
                {
                    _probeDelay = TimeSpan.FromTicks(Math.Min(Math.Max(timing.Cap.Ticks, timing.First.Ticks), _probeDelay.Ticks * 2));
                    _openUntil = now + _probeDelay;
                    return CircuitChange.None;
                }
                if (_openUntil is null && _failures >= OpensAfter)
                {
                    _probeDelay = timing.First;
                    _openUntil = now + _probeDelay;
                    return CircuitChange.Opened;
                }
                return CircuitChange.None;
            }
        }
    }

    [LoggerMessage(EventId = 4910, Level = LogLevel.Warning,
        Message = "BMC {Bmc} did not answer {Calls} calls in a row: calls to it now fail at once, and it is probed again in {Probe}, then less and less often")]
    private static partial void LogOpened(ILogger log, string bmc, int calls, TimeSpan probe);

    [LoggerMessage(EventId = 4911, Level = LogLevel.Information, Message = "BMC {Bmc} answers again: calls to it go out as before")]
    private static partial void LogClosed(ILogger log, string bmc);
}
