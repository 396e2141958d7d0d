using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Tests.Ipmi.Simulators;
using Microsoft.Extensions.Logging;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>
/// The driver against ipmi_sim through a relay that surrounds every answer with garbage, truncated, tampered,
/// oversized, wrong-session and replayed datagrams: each is dropped with a debug log line, and every call succeeds.
/// </summary>
public sealed class IpmiHostileNetworkTests
{
    [Fact]
    public async Task Bad_datagrams_around_every_answer_are_dropped_and_every_call_still_succeeds()
    {
        await using var bmc = await IpmiSimBmc.StartAsync();
        await using var proxy = new HostileProxy(bmc.Port);
        var logger = new ListLogger<IpmiDriver>();
        await using var driver = new IpmiDriver(new IpmiOptions { RetransmitTimeout = TimeSpan.FromMilliseconds(500), MaxAttempts = 3 }, logger);
        var target = new BmcTarget(new BmcAddress(BmcDriverKind.Ipmi, "ipmi", "127.0.0.1", proxy.Port, "", "", false),
            new BmcCredentials(SimulatedBmc.User, SimulatedBmc.Password), false);
        var connection = driver.Connect(target);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);

        var on = await connection.Power.SetPowerAsync(PowerAction.On, deadline, default);
        var power = await connection.Power.GetPowerAsync(deadline, default);
        var boot = await connection.Boot.SetBootDeviceAsync(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false), deadline, default);

        Assert.True(on.IsOk, on.ToString());
        Assert.Equal(PowerState.On, power.Value);
        Assert.True(boot.IsOk, boot.ToString());
        Assert.True(await Ipmitool.PowerIsOnAsync(bmc));
        Assert.True(proxy.BadDatagramsSent > 20);
        var drops = logger.Entries.Where(e => e.Id.Id == 4001 && e.Level == LogLevel.Debug).ToList();
        Assert.True(drops.Count >= proxy.BadDatagramsSent / 2, $"only {drops.Count} drops logged for {proxy.BadDatagramsSent} bad datagrams");
        Assert.Contains(drops, d => d.Message.Contains("IntegrityMismatch", StringComparison.Ordinal));
        Assert.Contains(drops, d => d.Message.Contains("replayed", StringComparison.Ordinal) || d.Message.Contains("not ours", StringComparison.Ordinal));
    }
}
