using System.Collections.Concurrent;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;

namespace Metal3.Drivers.Fake;

/// <summary>
/// A simulated BMC (for demos, tests and benchmarks: it is not a real BMC and says so). Power changes land after the
/// configured delay, as on real hardware; the state lives in this process only.
/// </summary>
public sealed class FakeBmc(string id, FakeOptions options, TimeProvider time, FakeBmc.Machines machines)
    : IPowerControl, IBootDeviceControl
{
    /// <summary>Every simulated machine of this process, by fake:// ID.</summary>
    public sealed class Machines
    {
        private readonly ConcurrentDictionary<string, Machine> _byId = new();

        public Machine this[string id] => _byId.GetOrAdd(id, _ => new Machine());
    }

    public sealed class Machine
    {
        private int _calls;

        public bool PoweredOn { get; set; }

        /// <summary>The BMC answers nothing while set, as with <c>fail=unreachable</c>; tests unplug and plug it back.</summary>
        public bool Unreachable { get; set; }

        /// <summary>Every call that reached this BMC, answered or not.</summary>
        public int Calls => Volatile.Read(ref _calls);

        internal void Called() => Interlocked.Increment(ref _calls);

        public (bool On, DateTimeOffset At)? Pending { get; set; }
        public BootOverride? Boot { get; set; }
        public int PowerChanges { get; set; }
    }

    private Machine State => machines[id];

    private const string NoAnswer = "simulated: the fake BMC does not answer";

    public async Task<BmcResult<PowerState>> GetPowerAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        await AnswerTimeAsync(ct);
        return await GetPowerNowAsync();
    }

    public async Task<BmcResult> SetPowerAsync(PowerAction action, DateTimeOffset deadline, CancellationToken ct)
    {
        await AnswerTimeAsync(ct);
        return await SetPowerNowAsync(action);
    }

    public async Task<BmcResult> SetBootDeviceAsync(BootOverride boot, DateTimeOffset deadline, CancellationToken ct)
    {
        await AnswerTimeAsync(ct);
        return await SetBootDeviceNowAsync(boot);
    }

    public async Task<BmcResult<BootOverride>> GetBootDeviceAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        await AnswerTimeAsync(ct);
        return await GetBootDeviceNowAsync();
    }

    /// <summary><c>callMs</c>: each call takes this long, as a slow BMC's does (a step is then under way for that long).</summary>
    private Task AnswerTimeAsync(CancellationToken ct) =>
        options.CallTime > TimeSpan.Zero ? Task.Delay(options.CallTime, time, ct) : Task.CompletedTask;

    /// <summary>Counts the call; true when the BMC is unplugged and the call gets no answer.</summary>
    private bool Unanswered()
    {
        State.Called();
        return State.Unreachable || options.Fails("unreachable");
    }

    private Task<BmcResult<PowerState>> GetPowerNowAsync()
    {
        if (Unanswered())
        {
            return Task.FromResult(BmcResult<PowerState>.Fail(BmcOutcome.Unreachable, NoAnswer));
        }
        if (options.Fails("credentials"))
        {
            return Task.FromResult(BmcResult<PowerState>.Fail(BmcOutcome.WrongCredentials, "simulated: the fake BMC refuses the credentials"));
        }
        lock (State)
        {
            if (State.Pending is { } pending && time.GetUtcNow() >= pending.At)
            {
                State.PoweredOn = pending.On;
                State.Pending = null;
            }
            return Task.FromResult(BmcResult<PowerState>.Ok(State.PoweredOn ? PowerState.On : PowerState.Off));
        }
    }

    private Task<BmcResult> SetPowerNowAsync(PowerAction action)
    {
        if (Unanswered())
        {
            return Task.FromResult(BmcResult.Fail(BmcOutcome.Unreachable, NoAnswer));
        }
        if (options.Fails("credentials"))
        {
            return Task.FromResult(BmcResult.Fail(BmcOutcome.WrongCredentials, "simulated: the fake BMC refuses the credentials"));
        }
        if (options.Fails("power"))
        {
            return Task.FromResult(BmcResult.Fail(BmcOutcome.BmcError, "simulated: the fake BMC failed the power change"));
        }
        bool on = action is PowerAction.On or PowerAction.Reboot or PowerAction.PowerCycle;
        lock (State)
        {
            State.PowerChanges++;
            if (options.Delay == TimeSpan.Zero)
            {
                State.PoweredOn = on;
                State.Pending = null;
            }
            else
            {
                State.Pending = (on, time.GetUtcNow() + options.Delay);
            }
        }
        return Task.FromResult(BmcResult.Ok());
    }

    private Task<BmcResult> SetBootDeviceNowAsync(BootOverride boot)
    {
        if (Unanswered())
        {
            return Task.FromResult(BmcResult.Fail(BmcOutcome.Unreachable, NoAnswer));
        }
        lock (State)
        {
            State.Boot = boot;
        }
        return Task.FromResult(BmcResult.Ok());
    }

    private Task<BmcResult<BootOverride>> GetBootDeviceNowAsync()
    {
        if (Unanswered())
        {
            return Task.FromResult(BmcResult<BootOverride>.Fail(BmcOutcome.Unreachable, NoAnswer));
        }
        lock (State)
        {
            return Task.FromResult(State.Boot is { } boot
                ? BmcResult<BootOverride>.Ok(boot)
                : BmcResult<BootOverride>.Ok(new BootOverride(BootDevice.Disk, BootMode.Uefi, Persistent: true)));
        }
    }
}
