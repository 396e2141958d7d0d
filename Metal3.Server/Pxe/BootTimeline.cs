using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Metal3.Data;
using Metal3.Data.Entities;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tftp;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Pxe;

/// <summary>
/// A known host's network boot as host events (<c>GET /api/v1/hosts/{name}/events</c>): DHCP offer and ack with boot
/// information, TFTP transfer finished, iPXE script served and what it chose. Kept cheap: only replies that carried boot
/// information (so only known hosts, or discovery) become steps; a step a machine repeats within 30 s is recorded once;
/// steps queue in memory and one background loop writes them, so a slow database never slows DHCP or HTTP down; when
/// the queue is full, steps are dropped, never packets.
/// </summary>
public sealed partial class BootTimeline(IDbContextFactory<Metal3DbContext> contexts, SqliteWriteGate writes, TimeProvider time,
    ILogger<BootTimeline> logger) : BackgroundService
{
    public const string DhcpOffered = "DhcpOffered";
    public const string DhcpAcked = "DhcpAcked";
    public const string TftpTransferred = "TftpTransferred";
    public const string BootScriptServed = "BootScriptServed";

    /// <summary>A step of some machine's boot, found by MAC, or by the address its lease gave it (TFTP knows only that).</summary>
    private sealed record Step(string? Mac, IPAddress? Address, string Reason, string Message, string Type, DateTime Time);

    /// <summary>A machine repeating a step (iPXE retrying its script, a client renewing) is one event per this window.</summary>
    private static readonly TimeSpan RepeatWindow = TimeSpan.FromSeconds(30);
    private const int MaxRemembered = 10_000;

    private readonly Channel<Step> _steps = Channel.CreateBounded<Step>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentDictionary<(string, string, string), DateTime> _lastSeen = new();

    public void DhcpReplied(DhcpMessage request, DhcpReply reply)
    {
        var message = reply.Message;
        string? bootFile = message.Find(DhcpOption.BootFileName) is { } name ? System.Text.Encoding.ASCII.GetString(name) : null;
        if (request.Mac is not { } mac || bootFile is null
            || message.MessageType is not (DhcpMessageType.Offer or DhcpMessageType.Ack))
        {
            return;
        }
        string reason = message.MessageType == DhcpMessageType.Offer ? DhcpOffered : DhcpAcked;
        string address = message.YourAddress.Equals(IPAddress.Any) ? "no address (proxy)" : message.YourAddress.ToString();
        Add(new Step(mac, null, reason, $"DHCP {message.MessageType.ToString().ToLowerInvariant()}: {address}, boot file {bootFile}",
            HostEventTypes.Normal, Now()));
    }

    public void TftpFinished(TftpTransferReport report)
    {
        bool completed = report.Outcome == TftpTransferOutcome.Completed;
        // OVMF reads tsize and aborts before the real transfer: that is not worth an event.
        if (report.Outcome == TftpTransferOutcome.ClientAborted && report.Bytes == 0)
        {
            return;
        }
        Add(new Step(null, report.Client.Address, TftpTransferred,
            $"TFTP {report.File}: {report.Bytes} bytes, {report.Outcome.ToString().ToLowerInvariant()} (blksize {report.BlockSize}, windowsize {report.WindowSize})",
            completed ? HostEventTypes.Normal : HostEventTypes.Warning, Now()));
    }

    public void ScriptServed(string mac, bool bootsAgent) =>
        Add(new Step(mac, null, BootScriptServed, bootsAgent ? "iPXE script served: boot the agent" : "iPXE script served: boot the local disk",
            HostEventTypes.Normal, Now()));

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private void Add(Step step)
    {
        var key = (step.Mac ?? step.Address?.ToString() ?? "", step.Reason, step.Message);
        if (_lastSeen.TryGetValue(key, out var last) && step.Time - last < RepeatWindow)
        {
            return;
        }
        if (_lastSeen.Count >= MaxRemembered)
        {
            _lastSeen.Clear();
        }
        _lastSeen[key] = step.Time;
        if (!_steps.Writer.TryWrite(step))
        {
            Log.Dropped(logger, step.Reason);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var step in _steps.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RecordAsync(step, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Failed(logger, step.Reason, e);
            }
        }
    }

    private async Task RecordAsync(Step step, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        string? mac = step.Mac;
        if (mac is null && step.Address is { } address)
        {
            long key = Ipv4.ToUInt32(address);
            var now = Now();
            mac = await db.DhcpLeases.AsNoTracking()
                .Where(l => l.Address == key && l.ExpiresAt > now && l.State != nameof(LeaseState.Declined))
                .Select(l => l.MacAddress)
                .FirstOrDefaultAsync(ct);
        }
        if (mac is null)
        {
            return;
        }
        var host = await db.Hosts.AsNoTracking().Where(h => h.BootMacAddress == mac).Select(h => new { h.Id, h.Name }).FirstOrDefaultAsync(ct);
        if (host is null)
        {
            return;   // discovery boots unknown machines too; they have no timeline until enrolled
        }
        db.HostEvents.Add(new HostEventRecord
        {
            HostId = host.Id, HostName = host.Name, Time = step.Time, Type = step.Type, Reason = step.Reason, Message = step.Message,
        });
        await writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Boot timeline full: a {Reason} event was dropped")]
        public static partial void Dropped(ILogger logger, string reason);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Boot timeline: recording a {Reason} event failed")]
        public static partial void Failed(ILogger logger, string reason, Exception exception);
    }
}
