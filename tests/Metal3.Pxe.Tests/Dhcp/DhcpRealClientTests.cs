using System.Net;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>Our DHCP server against busybox udhcpc, ISC dhclient and Kea's perfdhcp, inside a namespace of the test's own.</summary>
public sealed class DhcpRealClientTests
{
    /// <summary>udhcpc's script: print the variables it was given, one per line, for the test to read.</summary>
    private static string UdhcpcScript(string dir)
    {
        var path = Path.Combine(dir, "udhcpc.sh");
        // The address is configured so that a RELEASE (unicast from it) can be sent.
        File.WriteAllText(path, "#!/bin/sh\n[ \"$1\" = bound ] && busybox ip addr add $ip/24 dev $interface && touch " + Path.Combine(dir, "bound-") + "$interface\n[ \"$1\" = bound ] && echo \"BOUND ip=$ip subnet=$subnet router=$router dns=$dns lease=$lease siaddr=$siaddr boot_file=$boot_file serverid=$serverid\"\nexit 0\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<string> Udhcpc(DhcpLab lab, string mac, params string[] extra)
    {
        Run.Require("busybox", "busybox-static");
        var eth = lab.Net.AddClient(mac);
        var result = await lab.Net.InClients(TimeSpan.FromSeconds(30),
            ["busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", eth, "-s", UdhcpcScript(lab.Logs), .. extra]);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Output.Split('\n').Single(l => l.StartsWith("BOUND", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Udhcpc_gets_an_address_from_the_pool_with_mask_router_dns_and_lease()
    {
        await using var lab = await DhcpLab.StartAsync();

        var bound = await Udhcpc(lab, "52:54:00:bb:00:01");

        Assert.Matches(@"ip=198\.18\.0\.1\d\d ", bound);
        Assert.Contains("subnet=255.255.255.0 router=198.18.0.1 dns=198.18.0.53 lease=600", bound);
        Assert.Contains("serverid=198.18.0.1", bound);
        Assert.Contains("boot_file= ", bound);   // not a PXE client: no boot information
        Assert.Contains(lab.Leases.Snapshot(), l => l.Mac == "52:54:00:bb:00:01" && l.State == LeaseState.Bound);
    }

    [Fact]
    public async Task A_known_pxe_client_gets_its_boot_file_and_next_server()
    {
        await using var lab = await DhcpLab.StartAsync();

        var bound = await Udhcpc(lab, DhcpLab.KnownMac, "-V", "PXEClient:Arch:00000:UNDI:002001");

        Assert.Contains("siaddr=198.18.0.1 boot_file=undionly.kpxe", bound);
    }

    [Fact]
    public async Task An_unknown_pxe_client_gets_an_address_but_no_boot_file()
    {
        await using var lab = await DhcpLab.StartAsync();

        var bound = await Udhcpc(lab, "52:54:00:bb:00:02", "-V", "PXEClient:Arch:00000:UNDI:002001");

        Assert.Matches(@"ip=198\.18\.0\.1\d\d ", bound);
        Assert.Contains("boot_file= ", bound);
    }

    [Fact]
    public async Task With_discovery_an_unknown_pxe_client_gets_the_boot_file()
    {
        await using var lab = await DhcpLab.StartAsync(DhcpLab.Options(discovery: true));

        var bound = await Udhcpc(lab, "52:54:00:bb:00:03", "-V", "PXEClient:Arch:00000:UNDI:002001");

        Assert.Contains("boot_file=undionly.kpxe", bound);
    }

    [Fact]
    public async Task A_reserved_mac_gets_its_reserved_address()
    {
        await using var lab = await DhcpLab.StartAsync();

        var bound = await Udhcpc(lab, DhcpLab.ReservedMac);

        Assert.Contains("ip=198.18.0.50 ", bound);
    }

    [Fact]
    public async Task Udhcpc_releasing_its_lease_frees_the_address()
    {
        // busybox 1.35 with -q -R says "entering released state" but sends nothing (seen with dnsmasq too), so the
        // client stays in the foreground and is told to release with SIGUSR2.
        Run.Require("busybox", "busybox-static");
        await using var lab = await DhcpLab.StartAsync();
        var eth = lab.Net.AddClient("52:54:00:bb:00:04");
        var udhcpc = lab.Net.Start(lab.Net.Clients, Path.Combine(lab.Logs, "udhcpc.log"),
            "busybox", "udhcpc", "-f", "-n", "-t", "5", "-T", "1", "-i", eth, "-s", UdhcpcScript(lab.Logs));
        await Eventually.Until(() => lab.Leases.Snapshot().Any(l => l.Mac == "52:54:00:bb:00:04" && l.State == LeaseState.Bound), TimeSpan.FromSeconds(15), "a bound lease");
        // RELEASE goes out from the client's address, so wait until its script has configured it.
        await Eventually.Until(() => File.Exists(Path.Combine(lab.Logs, "bound-" + eth)), TimeSpan.FromSeconds(15), "udhcpc's bound script");

        await Run.Async("kill", "-USR2", udhcpc.Id.ToString());

        await Eventually.Until(() => !lab.Leases.Snapshot().Any(l => l.Mac == "52:54:00:bb:00:04"), TimeSpan.FromSeconds(5), "the lease to be released:\n" + lab.ServerLog);
    }

    [Fact]
    public async Task Dhclient_gets_an_address_from_the_pool()
    {
        Run.Require("dhclient", "isc-dhcp-client");
        await using var lab = await DhcpLab.StartAsync();
        var eth = lab.Net.AddClient("52:54:00:bb:00:05");
        var script = Path.Combine(lab.Logs, "dhclient-script");
        var env = Path.Combine(lab.Logs, "dhclient.env");
        File.WriteAllText(script, $"#!/bin/sh\n[ \"$reason\" = BOUND ] && echo \"ip=$new_ip_address mask=$new_subnet_mask routers=$new_routers\" > {env}\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // -1: one attempt, then exit non-zero; without -d it forks after BOUND and we kill it by its pid file.
        var pidFile = Path.Combine(lab.Logs, "dhclient.pid");
        var result = await lab.Net.InClients(TimeSpan.FromSeconds(60),
            "dhclient", "-1", "-sf", script, "-lf", Path.Combine(lab.Logs, "dhclient.leases"), "-pf", pidFile, eth);
        try
        {
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Matches(@"ip=198\.18\.0\.1\d\d mask=255\.255\.255\.0 routers=198\.18\.0\.1", File.ReadAllText(env));
        }
        finally
        {
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                }
            }
        }
    }

    [Fact]
    public async Task Perfdhcp_through_its_relay_completes_every_exchange_it_starts()
    {
        // perfdhcp acts as a relay (giaddr = its address): this covers the relayed path end to end.
        var perfdhcp = Run.Require("perfdhcp", "kea-admin");
        await using var lab = await DhcpLab.StartAsync();
        var eth = lab.Net.AddClient("52:54:00:bb:00:06", "198.18.0.2/24");

        // Generous drop time (-d, per exchange) and exit wait (-W): CI runs this beside QEMU machines on two cores, where
        // the test process has been seen answering a second late; what is asserted is that every exchange completes.
        var result = await lab.Net.InClients(TimeSpan.FromSeconds(90), perfdhcp, "-4", "-l", eth, "-r", "50", "-n", "80", "-R", "80",
            "-d", "5", "-d", "5", "-W", "6000000", NetworkNamespace.ServerAddress);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("drops: 0", result.Output);
        Assert.Equal(80, lab.Leases.Snapshot().Count(l => l.State == LeaseState.Bound));
    }
}
