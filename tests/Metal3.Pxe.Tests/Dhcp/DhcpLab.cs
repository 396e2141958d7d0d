using System.Net;
using Metal3.Core.Provisioning;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>Our DHCP server running in a fresh namespace on br0 (198.18.0.1/24), pool 198.18.0.100-199.</summary>
public sealed class DhcpLab : IAsyncDisposable
{
    public const string KnownMac = "52:54:00:aa:00:01";
    public const string ReservedMac = "52:54:00:aa:00:02";
    public static readonly IPAddress Reserved = IPAddress.Parse("198.18.0.50");

    public NetworkNamespace Net { get; }
    public DhcpServer Server { get; }
    public InMemoryDhcpLeaseStore Leases { get; } = new(TimeProvider.System);
    public string Logs { get; } = Directory.CreateTempSubdirectory("metal3-dhcp-").FullName;
    public TestMeterFactory Meters { get; } = new();

    /// <summary>Every datagram the server took from its sockets, one measurement each, tagged with how it ended.</summary>
    public MetricCollector<long> Packets { get; }

    /// <summary>Datagrams that ended with one of <paramref name="results"/> (answered, nak, shed, …).</summary>
    public int PacketsEnded(params string[] results) =>
        Packets.GetMeasurementSnapshot().Count(m => results.Contains(m.Tags["result"] as string));

    private DhcpLab(NetworkNamespace net, DhcpOptions options, Func<InMemoryDhcpLeaseStore, IDhcpLeaseStore>? store)
    {
        Net = net;
        Packets = new MetricCollector<long>(Meters, PxeMetrics.MeterName, PxeMetrics.DhcpPacketsName);
        var hosts = new StaticBootHostLookup(new Dictionary<string, BootHost>
        {
            [KnownMac] = new("worker-0", ProvisioningState.Inspecting, HasImage: false),
            [ReservedMac] = new("worker-1", ProvisioningState.Provisioned, HasImage: true),
        });
        Server = new DhcpServer(options, "br0", IPAddress.Parse(NetworkNamespace.ServerAddress), new Uri("http://198.18.0.1:8080"),
            hosts, store?.Invoke(Leases) ?? Leases, TimeProvider.System, new PxeMetrics(Meters), new FileLogger<DhcpServer>(Path.Combine(Logs, "server.log")),
            endPoint => net.Inside(() => SocketBindingForTests.Udp(endPoint, "br0")));
    }

    public static DhcpOptions Options(DhcpMode mode = DhcpMode.Full, bool discovery = false) => new()
    {
        Mode = mode,
        RangeStart = IPAddress.Parse("198.18.0.100"),
        RangeEnd = IPAddress.Parse("198.18.0.199"),
        SubnetMask = IPAddress.Parse("255.255.255.0"),
        Router = IPAddress.Parse("198.18.0.1"),
        DnsServers = [IPAddress.Parse("198.18.0.53")],
        LeaseSeconds = 600,
        Discovery = discovery,
        Reservations = new Dictionary<string, IPAddress> { [ReservedMac] = Reserved },
    };

    /// <param name="store">Wraps <see cref="Leases"/> in the store the server uses (a test's stand-in for a slow database).</param>
    public static async Task<DhcpLab> StartAsync(DhcpOptions? options = null, Func<InMemoryDhcpLeaseStore, IDhcpLeaseStore>? store = null)
    {
        var net = NetworkNamespace.Create();
        try
        {
            var lab = new DhcpLab(net, options ?? Options(), store);
            await lab.Server.StartAsync(CancellationToken.None);
            return lab;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The server's log so far, for assertion messages.</summary>
    public string ServerLog => File.Exists(Path.Combine(Logs, "server.log")) ? File.ReadAllText(Path.Combine(Logs, "server.log")) : "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Server.DisposeAsync();
        }
        finally
        {
            Packets.Dispose();
            Meters.Dispose();
            Net.Dispose();
            Directory.Delete(Logs, recursive: true);
        }
    }
}
