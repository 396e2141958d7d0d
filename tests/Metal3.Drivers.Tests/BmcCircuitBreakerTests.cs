using Metal3.Core.Bmc;
using Metal3.Drivers.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Drivers.Tests;

/// <summary>
/// The per-BMC circuit breaker on the real call path (registry, breaker, guard, fake driver), over simulated time: a
/// caller that ignores every back-off (the worst case; the reconciler and power sync are far gentler) is what it must
/// hold back.
/// </summary>
public class BmcCircuitBreakerTests
{
    private static readonly TimeSpan CallEvery = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeDriver _fake;
    private readonly BmcDriverRegistry _registry;

    public BmcCircuitBreakerTests()
    {
        _fake = new FakeDriver(_time);
        _registry = new BmcDriverRegistry([_fake],
            [new BmcCircuitBreaker(_time, BmcProbeTiming.Default, NullLogger<BmcCircuitBreaker>.Instance), new BmcCallGuard(NullLogger<BmcCallGuard>.Instance)]);
    }

    [Fact]
    public async Task Two_hundred_unreachable_bmcs_get_at_most_eight_calls_each_in_ten_simulated_minutes()
    {
        var bmcs = Enumerable.Range(0, 200).Select(i => Connect($"fake://gone-{i}?fail=unreachable")).ToList();

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(10); elapsed += CallEvery)
        {
            foreach (var bmc in bmcs)
            {
                var power = await bmc.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None);
                Assert.Equal(BmcOutcome.Unreachable, power.Outcome);
            }
            _time.Advance(CallEvery);
        }

        // 3 calls open the circuit, then probes 40 s, 80 s, 120 s, 120 s … apart: 3 + 5 in 10 minutes (the bound).
        var calls = Enumerable.Range(0, 200).Select(i => _fake.Machine($"gone-{i}").Calls).ToList();
        Assert.All(calls, n => Assert.InRange(n, BmcCircuitBreaker.OpensAfter + 1, 8));
    }

    [Fact]
    public async Task A_bmc_that_comes_back_answers_within_one_probe_interval()
    {
        var machine = _fake.Machine("flaky");
        machine.Unreachable = true;
        var bmc = Connect("fake://flaky");
        for (int i = 0; i < 120; i++)   // ten minutes away: the probe interval has grown to its cap
        {
            Assert.False((await bmc.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None)).IsOk);
            _time.Advance(CallEvery);
        }

        machine.Unreachable = false;
        var back = _time.GetUtcNow();
        while (!(await bmc.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None)).IsOk)
        {
            Assert.True(_time.GetUtcNow() - back <= BmcProbeTiming.Default.Cap, "still refused one probe interval after the BMC came back");
            _time.Advance(CallEvery);
        }
        int callsWhenBack = machine.Calls;

        // Closed on that first answer: every call goes out again.
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await bmc.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None)).IsOk);
        }
        Assert.Equal(callsWhenBack + 5, machine.Calls);
    }

    [Fact]
    public async Task A_bmc_that_answers_with_errors_is_never_cut_off()
    {
        var bmc = Connect("fake://grumpy?fail=power");
        for (int i = 0; i < 10; i++)
        {
            var set = await bmc.Power.SetPowerAsync(PowerAction.On, _time.GetUtcNow().AddSeconds(10), CancellationToken.None);
            Assert.Equal(BmcOutcome.BmcError, set.Outcome);
        }
        Assert.Equal(10, _fake.Machine("grumpy").Calls);
    }

    [Fact]
    public async Task One_dead_bmc_does_not_hold_back_another()
    {
        var dead = Connect("fake://dead?fail=unreachable");
        var alive = Connect("fake://alive");
        for (int i = 0; i < 10; i++)
        {
            await dead.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None);
            Assert.True((await alive.Power.GetPowerAsync(_time.GetUtcNow().AddSeconds(10), CancellationToken.None)).IsOk);
        }
        Assert.Equal(BmcCircuitBreaker.OpensAfter, _fake.Machine("dead").Calls);
        Assert.Equal(10, _fake.Machine("alive").Calls);
    }

    private BmcConnection Connect(string address)
    {
        Assert.True(BmcAddress.TryParse(address, out var parsed, out string error), error);
        return _registry.Connect(new BmcTarget(parsed, new BmcCredentials(null, null), false));
    }
}
