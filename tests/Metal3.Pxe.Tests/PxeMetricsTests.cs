using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Dhcp;
using Metal3.Pxe.Tests.Support;
using Metal3.Pxe.Tftp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Pxe.Tests;

/// <summary>
/// The <c>Metal3.Pxe</c> meter as <c>/metrics</c> will read it: a real client talks to a real server and the counters
/// move. The meter is process-wide and other tests run alongside, so the assertions look for this test's own traffic
/// (a file size no other test uses, a MAC nobody else uses).
/// </summary>
public sealed class PxeMetricsTests
{
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();

        public ConcurrentQueue<(string Instrument, long Value, Dictionary<string, string?> Tags)> Measurements { get; } = new();

        public Recorder()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PxeMetrics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
                Measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
            _listener.Start();
        }

        public void Dispose() => _listener.Dispose();
    }

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
            using var recorder = new Recorder();
            await using var server = new TftpServer(new TftpOptions { Root = root, Port = 0 }, IPAddress.Loopback, null, NullLogger<TftpServer>.Instance);
            await server.StartAsync(default);

            var result = await Run.Async(Run.Require("tftp", "tftp-hpa"),
                ["-m", "binary", "127.0.0.1", server.LocalEndPoint.Port.ToString(), "-c", "get", "metrics.bin", Path.Combine(root, "copy.bin")], TimeSpan.FromSeconds(60));
            Assert.True(result.ExitCode == 0, result.Output);
            await Eventually.Until(() => recorder.Measurements.Any(m => m.Instrument == "metal3.pxe.tftp.bytes_sent" && m.Value == size),
                TimeSpan.FromSeconds(10), "bytes_sent of the transfer");

            Assert.Contains(recorder.Measurements, m => m.Instrument == "metal3.pxe.tftp.transfers" && m.Tags["event"] == "started");
            Assert.Contains(recorder.Measurements, m => m.Instrument == "metal3.pxe.tftp.transfers" && m.Tags["event"] == "completed");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Dhcp_packets_count_by_message_type_and_result()
    {
        using var recorder = new Recorder();
        await using var lab = await DhcpLab.StartAsync();
        var eth = lab.Net.AddClient("52:54:00:cc:0e:01");

        var result = await lab.Net.InClients(TimeSpan.FromSeconds(30), "busybox", "udhcpc", "-f", "-q", "-n", "-t", "5", "-T", "1", "-i", eth, "-s", "/bin/true");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(recorder.Measurements, m => m.Instrument == "metal3.pxe.dhcp.packets" && m.Tags["type"] == "discover" && m.Tags["result"] == "answered");
        Assert.Contains(recorder.Measurements, m => m.Instrument == "metal3.pxe.dhcp.packets" && m.Tags["type"] == "request" && m.Tags["result"] == "answered");
    }
}
