using System.Diagnostics.Metrics;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tftp;

namespace Metal3.Pxe;

/// <summary>
/// The <c>Metal3.Pxe</c> meter: what the network-boot services did, for <c>/metrics</c> (which exports every meter
/// whose name starts with <c>Metal3</c>). Counters only, tagged with small fixed sets of values: never a MAC or a file
/// name, so a rack of unknown machines cannot blow up the number of series. One per daemon, from its meter factory, so
/// that two daemons in one process (the tests host several) count apart.
/// </summary>
public sealed class PxeMetrics
{
    public const string MeterName = "Metal3.Pxe";
    public const string DhcpPacketsName = "metal3.pxe.dhcp.packets";
    public const string TftpTransfersName = "metal3.pxe.tftp.transfers";
    public const string TftpBytesName = "metal3.pxe.tftp.bytes_sent";
    public const string HttpBytesName = "metal3.pxe.http.bytes_served";

    private readonly Counter<long> _dhcpPackets;
    private readonly Counter<long> _tftpTransfers;
    private readonly Counter<long> _tftpBytes;
    private readonly Counter<long> _httpBytes;

    /// <param name="meters">The daemon's factory; without one (a benchmark, a test that does not look) the meter is the process's own.</param>
    public PxeMetrics(IMeterFactory? meters = null)
    {
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _dhcpPackets = meter.CreateCounter<long>(
            DhcpPacketsName, "{packet}", "DHCP datagrams received, by message type and result (answered, nak, ignored, unknown, unavailable, malformed, failed, shed)");
        _tftpTransfers = meter.CreateCounter<long>(
            TftpTransfersName, "{transfer}", "TFTP read requests, by event (started, refused, limited, busy, completed, client_aborted, timed_out, evicted, stopped, failed)");
        _tftpBytes = meter.CreateCounter<long>(
            TftpBytesName, "By", "File bytes sent by TFTP transfers that ended (retransmissions not counted)");
        _httpBytes = meter.CreateCounter<long>(
            HttpBytesName, "By", "Bytes of boot scripts, boot files, agent ramdisk and images served on the provisioning listener, by kind");
    }

    public void DhcpPacket(DhcpMessageType? type, string result) =>
        _dhcpPackets.Add(1, new("type", type is { } t ? TypeName(t) : "none"), new("result", result));

    public void TftpStarted() => _tftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "started"));

    public void TftpRefused() => _tftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "refused"));

    /// <summary>Refused: the source address holds <see cref="TftpOptions.MaxSessionsPerClient"/> acknowledged transfers.</summary>
    public void TftpLimited() => _tftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "limited"));

    /// <summary>Refused: every slot (<see cref="TftpOptions.MaxSessions"/>) is held by an acknowledged transfer.</summary>
    public void TftpBusy() => _tftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "busy"));

    public void TftpEnded(TftpTransferReport report)
    {
        _tftpTransfers.Add(1, new KeyValuePair<string, object?>("event", OutcomeName(report.Outcome)));
        _tftpBytes.Add(report.Bytes);
    }

    /// <param name="kind">script, boot, agent or image.</param>
    public void HttpServed(string kind, long bytes) => _httpBytes.Add(bytes, new KeyValuePair<string, object?>("kind", kind));

    private static string TypeName(DhcpMessageType type) => type switch
    {
        DhcpMessageType.Discover => "discover",
        DhcpMessageType.Offer => "offer",
        DhcpMessageType.Request => "request",
        DhcpMessageType.Decline => "decline",
        DhcpMessageType.Ack => "ack",
        DhcpMessageType.Nak => "nak",
        DhcpMessageType.Release => "release",
        DhcpMessageType.Inform => "inform",
        _ => "other",
    };

    private static string OutcomeName(TftpTransferOutcome outcome) => outcome switch
    {
        TftpTransferOutcome.Completed => "completed",
        TftpTransferOutcome.ClientAborted => "client_aborted",
        TftpTransferOutcome.TimedOut => "timed_out",
        TftpTransferOutcome.Stopped => "stopped",
        TftpTransferOutcome.Evicted => "evicted",
        _ => "failed",
    };
}
