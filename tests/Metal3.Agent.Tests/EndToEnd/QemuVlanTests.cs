using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Metal3.Agent.Tests.Support;
using Xunit.Abstractions;

namespace Metal3.Agent.Tests.EndToEnd;

/// <summary>
/// <c>metal3.vlan=&lt;id&gt;</c>: the ramdisk asks for its address on the tagged provisioning network. The machine's NIC is
/// a QEMU socket backend that sends every frame it transmits to the test as a UDP datagram on the loopback, so the test
/// sees the DHCP request on the wire without a network (this machine's kernel has no VLAN support to serve one) and
/// stops the machine there: a boot to the first DHCP request, no agent.
/// </summary>
public sealed class QemuVlanTests(ITestOutputHelper output)
{
    private const string Mac = "52:54:00:a6:e7:21";
    private const int Vlan = 42;

    [Fact]
    public async Task With_metal3_vlan_the_ramdisk_asks_for_dhcp_in_802_1q_frames_of_that_vlan()
    {
        string ramdisk = await AgentRamdisk.DirectoryAsync();
        using var wire = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)wire.Client.LocalEndPoint!).Port;
        var clock = Stopwatch.StartNew();
        using var vm = QemuMachine.Start(ramdisk, $"metal3.vlan={Vlan}",
        [
            "-netdev", $"socket,id=n0,udp=127.0.0.1:{port},localaddr=127.0.0.1:{FreePort.Udp()}",
            "-device", $"virtio-net-pci,netdev=n0,mac={Mac}",
        ]);

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var untagged = 0;
        try
        {
            while (true)
            {
                var frame = (await wire.ReceiveAsync(deadline.Token)).Buffer;
                if (DhcpRequestVlan(frame) is not { } vlan)
                {
                    continue;
                }
                if (vlan == Vlan)
                {
                    break;
                }
                untagged += vlan == 0 ? 1 : 0;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no DHCP request tagged with VLAN {Vlan} within 4 minutes\n--- serial:\n{vm.Serial}");
        }
        output.WriteLine($"tagged DHCP request {clock.Elapsed:mm\\:ss} after QEMU started");
        Assert.Equal(0, untagged);
    }

    /// <summary>
    /// The VLAN of a DHCP client's request (IPv4, UDP to port 67): 0 when untagged, null for any other frame.
    /// Ethernet: destination (6), source (6), then either the EtherType or the 802.1Q tag 0x8100 and its TCI, whose low
    /// 12 bits are the VLAN id, followed by the EtherType (IEEE 802.1Q §9.6).
    /// </summary>
    private static int? DhcpRequestVlan(byte[] frame)
    {
        if (frame.Length < 14)
        {
            return null;
        }
        int vlan = 0, offset = 12;
        if (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset)) == 0x8100)
        {
            vlan = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset + 2)) & 0x0fff;
            offset += 4;
        }
        int ip = offset + 2;
        if (frame.Length < ip + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset)) != 0x0800 || frame[ip + 9] != 17)
        {
            return null;   // not IPv4, or not UDP (RFC 791: protocol at byte 9)
        }
        int udp = ip + (frame[ip] & 0x0f) * 4;   // IHL, in 32-bit words
        return frame.Length >= udp + 4 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 2)) == 67 ? vlan : null;
    }
}
