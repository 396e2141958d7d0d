using System.Net;
using Metal3.Core.Provisioning;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>
/// <c>Metal3:Pxe:Dhcp:KnownClientsOnly</c> (issue 15): invented MACs must not empty the pool. Who is known, decided
/// without sockets; then the server in a namespace of the test's own against udhcpc and perfdhcp.
/// </summary>
public sealed class DhcpKnownClientsTests
{
    private static readonly IPAddress Server = IPAddress.Parse("198.18.0.1");

    private static DhcpResponder Responder(bool discovery) =>
        new(DhcpLab.Options(discovery: discovery) with { KnownClientsOnly = true }, Server, new Uri("http://198.18.0.1:8080"),
            new StaticBootHostLookup(new Dictionary<string, BootHost> { [DhcpLab.KnownMac] = new("worker-0", ProvisioningState.Inspecting, false) }),
            new InMemoryDhcpLeaseStore(new FakeTimeProvider()));

    private static DhcpMessage Discover(string mac, string? vendorClass = null)
    {
        var chaddr = new byte[16];
        Convert.FromHexString(mac.Replace(":", "")).CopyTo(chaddr, 0);
        List<DhcpOptionValue> options = [new(DhcpOption.MessageType, [(byte)DhcpMessageType.Discover])];
        if (vendorClass is not null)
        {
            options.Add(new(DhcpOption.VendorClassId, DhcpValues.Text(vendorClass)));
        }
        return new DhcpMessage { Op = BootpOp.BootRequest, TransactionId = 0x15, ClientHardwareAddress = chaddr, Options = options };
    }

    [Theory]
    [InlineData(DhcpLab.KnownMac, null, false, true)]               // enrolled
    [InlineData(DhcpLab.ReservedMac, null, false, true)]            // reserved by the operator (enrolled or not)
    [InlineData("52:54:00:dd:00:01", null, false, false)]           // anyone else
    [InlineData("52:54:00:dd:00:01", "PXEClient:Arch:00000:UNDI:002001", false, false)]  // a PXE client, discovery off
    [InlineData("52:54:00:dd:00:01", "PXEClient:Arch:00000:UNDI:002001", true, true)]    // a PXE client, discovery on: what discovery is for
    [InlineData("52:54:00:dd:00:01", null, true, false)]            // not network-booting: discovery does not let it in
    public async Task Known_means_enrolled_reserved_or_with_discovery_network_booting(string mac, string? vendorClass, bool discovery, bool known)
    {
        Assert.Equal(known, await Responder(discovery).IsKnownClientAsync(Discover(mac, vendorClass), default));
    }

    [Fact]
    public async Task An_unknown_mac_gets_nothing_and_is_counted_while_a_known_one_gets_its_address()
    {
        Run.Require("busybox", "busybox-static");
        await using var lab = await DhcpLab.StartAsync(DhcpLab.Options() with { KnownClientsOnly = true });
        var unknown = lab.Net.AddClient("52:54:00:dd:00:02");
        var known = lab.Net.AddClient(DhcpLab.KnownMac);

        var refused = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "3", "-T", "1", "-i", unknown, "-s", "/bin/true");
        var bound = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", known, "-s", "/bin/true");

        Assert.True(refused.ExitCode != 0, refused.Output);
        Assert.True(bound.ExitCode == 0, bound.Output + lab.ServerLog);
        Assert.Equal([DhcpLab.KnownMac], lab.Leases.Snapshot().Select(l => l.Mac).Distinct());
        Assert.InRange(lab.PacketsEnded("unknown"), 3, 10);   // its DISCOVERs, each counted
    }

    [Fact]
    public async Task Perfdhcp_with_ten_thousand_invented_macs_takes_no_address_and_a_known_host_still_gets_one()
    {
        Run.Require("busybox", "busybox-static");
        var perfdhcp = Run.Require("perfdhcp", "kea-admin");
        // The pool has 100 addresses: without the option the flood would take them all within a second.
        await using var lab = await DhcpLab.StartAsync(DhcpLab.Options() with { KnownClientsOnly = true });
        var flood = lab.Net.AddClient("52:54:00:dd:00:03", "198.18.0.2/24");
        var known = lab.Net.AddClient(DhcpLab.KnownMac);

        // perfdhcp (as a relay) with 10,000 invented MACs at 1,000 DISCOVERs a second for 6 s; the known host asks meanwhile.
        var flooding = lab.Net.InClients(TimeSpan.FromSeconds(60), perfdhcp, "-4", "-l", flood, "-r", "1000", "-R", "10000", "-p", "6",
            NetworkNamespace.ServerAddress);
        await Eventually.Until(() => lab.PacketsEnded("unknown") >= 1000, TimeSpan.FromSeconds(20), () => $"the flood to arrive ({lab.PacketsEnded("unknown")} so far)");
        var bound = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", known, "-s", "/bin/true");
        var flooded = await flooding;

        Assert.True(bound.ExitCode == 0, bound.Output + lab.ServerLog);
        Assert.Equal([DhcpLab.KnownMac], lab.Leases.Snapshot().Select(l => l.Mac).Distinct());
        Assert.True(lab.PacketsEnded("unknown") >= 3000, $"{lab.PacketsEnded("unknown")} counted as unknown\n{flooded.Output}");
    }
}
