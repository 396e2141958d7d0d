using System.Net;
using Metal3.Pxe.Tests.Dhcp;
using Metal3.Pxe.Tests.Support;
using Metal3.Pxe.Tftp;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Pxe.Tests;

/// <summary>
/// The <c>Metal3.Pxe</c> meter as <c>/metrics</c> will read it: a real client talks to a real server and the counters
/// move. Each server counts on a meter from the test's own factory, so other tests running alongside add nothing.
/// </summary>
public sealed class PxeMetricsTests
{
    [Fact]
    public async Task A_tftp_transfer_counts_as_started_and_completed_with_its_bytes()
    {
        const int size = 123_457;
        var root = Directory.CreateTempSubdirectory("metal3-metrics-").FullName;
        try
        {
            var data = new byte[size];
            Random.Shared.NextBytes(data);
            File.WriteAllBytes(Path.Combine(root, "metrics.bin"), data);
            using var meters = new TestMeterFactory();
            using var transfers = new MetricCollector<long>(meters, PxeMetrics.MeterName, PxeMetrics.TftpTransfersName);
            using var bytes = new MetricCollector<long>(meters, PxeMetrics.MeterName, PxeMetrics.TftpBytesName);
            await using var server = new TftpServer(new TftpOptions { Root = root, Port = 0 }, IPAddress.Loopback, null, new PxeMetrics(meters),
                NullLogger<TftpServer>.Instance);
            await server.StartAsync(default);

            var result = await Run.Async(Run.Require("tftp", "tftp-hpa"),
                ["-m", "binary", "127.0.0.1", server.LocalEndPoint.Port.ToString(), "-c", "get", "metrics.bin", Path.Combine(root, "copy.bin")], TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, result.Output);
            await bytes.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10));

            Assert.Equal(size, bytes.LastMeasurement!.Value);
            var events = transfers.GetMeasurementSnapshot().Select(m => m.Tags["event"] as string).ToList();
            Assert.Contains("started", events);
            Assert.Contains("completed", events);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Dhcp_packets_count_by_message_type_and_result()
    {
        await using var lab = await DhcpLab.StartAsync();
        var eth = lab.Net.AddClient("52:54:00:cc:0e:01");

        var result = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", eth, "-s", "/bin/true");

        Assert.True(result.ExitCode == 0, result.Output);
        var packets = lab.Packets.GetMeasurementSnapshot();
        Assert.Contains(packets, m => m.Tags["type"] as string == "discover" && m.Tags["result"] as string == "answered");
        Assert.Contains(packets, m => m.Tags["type"] as string == "request" && m.Tags["result"] as string == "answered");
    }
}
