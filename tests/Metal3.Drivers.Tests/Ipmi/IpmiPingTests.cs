using Metal3.Core.Bmc;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Tests.Ipmi.Simulators;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>RMCP/ASF presence ping against ipmi_sim (pyghmi does not answer pings, so it is not in this suite).</summary>
public sealed class IpmiPingTests
{
    [Fact]
    public async Task Ipmi_sim_answers_a_presence_ping_and_claims_ipmi()
    {
        await using var bmc = await IpmiSimBmc.StartAsync();
        await using var driver = new IpmiDriver(new IpmiOptions { RetransmitTimeout = TimeSpan.FromMilliseconds(300), MaxAttempts = 3 });

        var pong = await driver.PingAsync(bmc.Target().Address, DateTimeOffset.UtcNow.AddSeconds(5), default);

        Assert.True(pong.IsOk, pong.ToString());
        Assert.True(pong.Value);
    }

    [Fact]
    public async Task A_ping_to_a_port_where_nothing_listens_is_unreachable_by_the_deadline()
    {
        await using var driver = new IpmiDriver(new IpmiOptions { RetransmitTimeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2 });
        var nowhere = new BmcAddress(BmcDriverKind.Ipmi, "ipmi", "127.0.0.1", FreePort.Udp(), "", "", false);

        var pong = await driver.PingAsync(nowhere, DateTimeOffset.UtcNow.AddSeconds(3), default);

        Assert.Equal(BmcOutcome.Unreachable, pong.Outcome);
    }
}
