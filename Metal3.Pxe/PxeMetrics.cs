using System.Diagnostics.Metrics;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tftp;

namespace Metal3.Pxe;

/// <summary>
/// The <c>Metal3.Pxe</c> meter: what the network-boot services did, for <c>/metrics</c> (which exports every meter
/// whose name starts with <c>Metal3</c>). Counters only, tagged with small fixed sets of values: never a MAC or a file
/// name, so a rack of unknown machines cannot blow up the number of series.
/// </summary>
public static class PxeMetrics
{
    public const string MeterName = "Metal3.Pxe";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DhcpPackets = Meter.CreateCounter<long>(
        "metal3.pxe.dhcp.packets", "{packet}", "DHCP datagrams received, by message type and result (answered, nak, ignored, malformed, failed, shed)");

    private static readonly Counter<long> TftpTransfers = Meter.CreateCounter<long>(
        "metal3.pxe.tftp.transfers", "{transfer}", "TFTP read requests, by event (started, refused, completed, client_aborted, timed_out, stopped, failed)");

    private static readonly Counter<long> TftpBytes = Meter.CreateCounter<long>(
        "metal3.pxe.tftp.bytes_sent", "By", "File bytes sent by TFTP transfers that ended (retransmissions not counted)");

    private static readonly Counter<long> HttpBytes = Meter.CreateCounter<long>(
        "metal3.pxe.http.bytes_served", "By", "Bytes of boot scripts, boot files, agent ramdisk and images served on the provisioning listener, by kind");

    public static void DhcpPacket(DhcpMessageType? type, string result) =>
        DhcpPackets.Add(1, new("type", type is { } t ? TypeName(t) : "none"), new("result", result));

    public static void TftpStarted() => TftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "started"));

    public static void TftpRefused() => TftpTransfers.Add(1, new KeyValuePair<string, object?>("event", "refused"));

    public static void TftpEnded(TftpTransferReport report)
    {
        TftpTransfers.Add(1, new KeyValuePair<string, object?>("event", OutcomeName(report.Outcome)));
        TftpBytes.Add(report.Bytes);
    }

    /// <param name="kind">script, boot, agent or image.</param>
    public static void HttpServed(string kind, long bytes) => HttpBytes.Add(bytes, new KeyValuePair<string, object?>("kind", kind));

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
        _ => "failed",
    };
}
