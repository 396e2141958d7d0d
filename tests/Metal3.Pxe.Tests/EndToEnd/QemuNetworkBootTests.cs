using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Metal3.Core.Provisioning;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;
using Metal3.Pxe.Tftp;

namespace Metal3.Pxe.Tests.EndToEnd;

/// <summary>
/// One QEMU machine (q35, TCG, OVMF's own PXE: no iPXE ROM) boots from our DHCP and TFTP servers inside the test's
/// namespace: firmware PXE → TFTP snponly.efi → iPXE → DHCP again → HTTP GET /boot/ipxe?mac=… on a tiny listener here.
/// </summary>
public sealed class QemuNetworkBootTests
{
    private const string Mac = "52:54:00:aa:00:01";

    [Fact]
    public Task A_uefi_machine_chains_through_our_dhcp_and_tftp_to_the_ipxe_script_url() => Boot(DhcpMode.Full);

    /// <summary>
    /// Proxy mode: dnsmasq on another "host" (the clients' namespace, 198.18.0.2) hands out addresses with no boot
    /// information; our server only adds it.
    /// </summary>
    [Fact]
    public Task Beside_another_dhcp_server_proxy_mode_gets_a_uefi_machine_to_the_ipxe_script_url() => Boot(DhcpMode.Proxy);

    private static async Task Boot(DhcpMode mode)
    {
        var qemu = Run.Require("qemu-system-x86_64", "qemu-system-x86");
        Assert.True(File.Exists("/usr/share/OVMF/OVMF_CODE_4M.fd"), "apt-get install ovmf");
        Assert.True(File.Exists("/usr/lib/ipxe/snponly.efi"), "apt-get install ipxe");
        using var net = NetworkNamespace.Create();
        var work = Directory.CreateTempSubdirectory("metal3-qemu-").FullName;
        try
        {
            var tap = net.AddTap();
            if (mode == DhcpMode.Proxy)
            {
                var dnsmasq = Run.Require("dnsmasq", "dnsmasq-base");
                var eth = net.AddClient("52:54:00:ff:00:02", "198.18.0.2/24");
                net.Start(net.Clients, Path.Combine(work, "dnsmasq.log"), dnsmasq, "-k", "--port=0", $"--interface={eth}", "--bind-interfaces",
                    "--dhcp-range=198.18.0.100,198.18.0.199,255.255.255.0,1h", "--no-ping", $"--dhcp-leasefile={Path.Combine(work, "dnsmasq.leases")}",
                    $"--pid-file={Path.Combine(work, "dnsmasq.pid")}", "--log-dhcp");
            }
            var server = IPAddress.Parse(NetworkNamespace.ServerAddress);
            var root = Directory.CreateDirectory(Path.Combine(work, "tftp")).FullName;
            File.Copy("/usr/lib/ipxe/snponly.efi", Path.Combine(root, "snponly.efi"));
            var hosts = new StaticBootHostLookup(new Dictionary<string, BootHost> { [Mac] = new("worker-0", ProvisioningState.Inspecting, false) });

            await using var dhcp = new DhcpServer(Dhcp.DhcpLab.Options(mode), "br0", server, new Uri("http://198.18.0.1:8080"), hosts,
                new InMemoryDhcpLeaseStore(TimeProvider.System), TimeProvider.System, new PxeMetrics(), new FileLogger<DhcpServer>(Path.Combine(work, "dhcp.log")),
                endPoint => net.Inside(() => Dhcp.SocketBindingForTests.Udp(endPoint, "br0")));
            var reports = new ConcurrentQueue<TftpTransferReport>();
            await using var tftp = new TftpServer(new TftpOptions { Root = root }, server, "br0", new PxeMetrics(), new FileLogger<TftpServer>(Path.Combine(work, "tftp.log")),
                endPoint => net.Inside(() => Dhcp.SocketBindingForTests.Udp(endPoint, "br0")));
            tftp.TransferCompleted += reports.Enqueue;
            using var http = net.Inside(() => new TcpListener(server, 8080));
            http.Start();
            var requests = new ConcurrentQueue<string>();
            _ = ServeHttpAsync(http, requests);
            await dhcp.StartAsync(CancellationToken.None);
            await tftp.StartAsync(CancellationToken.None);

            var vars = Path.Combine(work, "vars.fd");
            File.Copy("/usr/share/OVMF/OVMF_VARS_4M.fd", vars);
            var vm = net.Start(net.Name, Path.Combine(work, "qemu.log"), qemu,
                "-machine", "q35,accel=tcg", "-cpu", "max", "-m", "256", "-smp", "1", "-display", "none", "-nodefaults", "-no-user-config",
                "-monitor", "none", "-serial", "none", "-uuid", "11111111-2222-3333-4444-888888888888",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", "-drive", $"if=pflash,format=raw,file={vars}",
                "-netdev", $"tap,id=n0,ifname={tap},script=no,downscript=no",
                "-device", $"virtio-net-pci,netdev=n0,mac={Mac},bootindex=1,romfile=");

            await Eventually.Until(() => requests.Any(r => r.Contains("/boot/ipxe", StringComparison.Ordinal)), TimeSpan.FromSeconds(150),
                () => $"the machine to fetch /boot/ipxe (qemu exited: {vm.HasExited}; {Tail(Path.Combine(work, "qemu.log"))}); dhcp log:\n" + Tail(Path.Combine(work, "dhcp.log")) + "\ntftp log:\n" + Tail(Path.Combine(work, "tftp.log")) + "\ndnsmasq log:\n" + Tail(Path.Combine(work, "dnsmasq.log")));

            var request = Uri.UnescapeDataString(requests.First(r => r.Contains("/boot/ipxe", StringComparison.Ordinal)));
            Assert.StartsWith($"GET /boot/ipxe?mac={Mac} HTTP/1.1", request);
            Assert.Contains(reports, r => r.File == "snponly.efi" && r.Outcome == TftpTransferOutcome.Completed);
        }
        finally
        {
            net.Dispose();   // kills QEMU by PID before its files go
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(30)) : "";

    private static async Task ServeHttpAsync(TcpListener listener, ConcurrentQueue<string> requests)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[4096];
                int n = await stream.ReadAsync(buffer);
                var line = Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
                requests.Enqueue(line);
                var body = "#!ipxe\necho metal3 test\nsleep 300\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
            }
        }
    }
}
