using System.Net;
using System.Net.Sockets;
using Metal3.Pxe.Tests.Dhcp.Golden;
using Metal3.Pxe.Tests.Support;

namespace Metal3.Pxe.Tests.Dhcp;

public sealed class DhcpServerFuzzTests
{
    [Fact]
    public async Task After_twenty_thousand_hostile_datagrams_the_server_still_gives_udhcpc_an_address()
    {
        Run.Require("busybox", "busybox-static");
        // Mutated DISCOVERs with new client identifiers each take an address, as they would from any DHCP server;
        // the pool is made larger than the flood so that exhaustion (a property of DHCP, not a bug) is not what is tested.
        await using var lab = await DhcpLab.StartAsync(DhcpLab.Options() with { RangeEnd = IPAddress.Parse("198.18.63.254"), SubnetMask = IPAddress.Parse("255.255.0.0") });
        var eth = lab.Net.AddClient("52:54:00:ee:00:01", "198.18.0.9/24");
        using var socket = NetworkNamespace.Inside(lab.Net.Clients, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var server = new IPEndPoint(IPAddress.Parse(NetworkNamespace.ServerAddress), 67);
        var golden = GoldenPackets.Names.Where(n => !n.Contains("dnsmasq")).Select(GoldenPackets.Load).ToArray();
        var random = new Random(6);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram;
            switch (i % 3)
            {
                case 0:
                    datagram = new byte[random.Next(0, 700)];
                    random.NextBytes(datagram);
                    break;
                case 1:
                    var options = new byte[random.Next(0, 400)];
                    random.NextBytes(options);
                    datagram = DhcpCodecTests.Header(options);
                    break;
                default:
                    datagram = (byte[])golden[random.Next(golden.Length)].Clone();
                    for (int k = random.Next(1, 6); k > 0; k--)
                    {
                        datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                    }
                    break;
            }
            await socket.SendToAsync(datagram, SocketFlags.None, server);
            if (i % 100 == 99)
            {
                // Pace the flood to what the kernel queue holds (rmem_max caps the socket buffer), so the datagrams
                // reach the parser instead of being dropped before it.
                var deadline = DateTime.UtcNow.AddSeconds(1);
                while (lab.Packets.GetMeasurementSnapshot().Count < i - 100 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(1);
                }
            }
        }
        int handled = lab.Packets.GetMeasurementSnapshot().Count;
        Assert.True(handled > 15_000, $"only {handled} datagrams reached the server");

        var result = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", eth, "-s", "/bin/true");

        Assert.True(result.ExitCode == 0, result.Output + "\n" + lab.ServerLog[Math.Max(0, lab.ServerLog.Length - 3000)..]);
        Assert.Contains("lease of 198.18.", result.Output);
    }
}
