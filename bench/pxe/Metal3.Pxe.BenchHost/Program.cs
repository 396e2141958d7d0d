// Runs one of our servers in the foreground for bench/pxe/*.sh, the way the daemon will host it, until SIGTERM.
//   tftp <root> <address> <port>
//   dhcp <interface> <server address> <range start> <range end> <subnet mask>
using System.Net;
using Metal3.Pxe;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tftp;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

IHostedService server = args switch
{
    ["tftp", var root, var address, var port] => new TftpServer(
        // tftp.sh runs 64 clients at once, all from 127.0.0.1: no per-address cap.
        new TftpOptions { Root = root, Port = int.Parse(port), MaxSessions = 4096, MaxSessionsPerClient = 4096 }, IPAddress.Parse(address), null, new PxeMetrics(),
        NullLogger<TftpServer>.Instance),
    ["dhcp", var iface, var address, var start, var end, var mask] => new DhcpServer(
        new DhcpOptions
        {
            Mode = DhcpMode.Full,
            RangeStart = IPAddress.Parse(start),
            RangeEnd = IPAddress.Parse(end),
            SubnetMask = IPAddress.Parse(mask),
            LeaseSeconds = 3600,
        },
        iface, IPAddress.Parse(address), new Uri($"http://{address}:8080"),
        new StaticBootHostLookup(new Dictionary<string, BootHost>()), new InMemoryDhcpLeaseStore(TimeProvider.System),
        TimeProvider.System, new PxeMetrics(), NullLogger<DhcpServer>.Instance),
    _ => throw new ArgumentException("usage: tftp <root> <address> <port> | dhcp <interface> <address> <start> <end> <mask>"),
};

using var stop = new CancellationTokenSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
await server.StartAsync(CancellationToken.None);
Console.WriteLine("ready");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
await server.StopAsync(CancellationToken.None);
