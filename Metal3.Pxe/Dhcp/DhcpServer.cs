using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// The DHCP server's sockets: port 67 (and 4011 in proxy mode) on 0.0.0.0 so broadcasts arrive, restricted to the
/// configured interface with SO_BINDTODEVICE so nothing is ever answered on another network. The loop only rents a
/// buffer, parses, asks <see cref="DhcpResponder"/>, writes and sends.
/// <para>Overload: the receive loop never waits. A server that stops reading while it is busy leaves the datagrams in
/// the socket's buffer, answers every one of them late, and clients that gave up on it have long retransmitted (measured
/// with perfdhcp at 8,000 exchanges/s offered against PostgreSQL leases, before this: 27-44 % of REQUESTs answered too
/// late to count, for work that was all done; after: 1-2 %). So when half the exchange slots are taken, new DISCOVERs
/// are dropped at once (their clients retry in seconds, RFC 2131 §4.1) and REQUESTs, which finish exchanges already
/// paid for, still get in; when all are taken, everything is dropped. Each drop counts as <c>shed</c> in the
/// <c>Metal3.Pxe</c> meter. (A threshold on how late replies are was tried instead: it let the backlog grow first and
/// lost 15-25 % of REQUESTs at 12,000/s offered.)</para>
/// <para>Each socket is read by a thread of its own in blocking calls, and replies are sent with blocking calls too,
/// as Kea and dnsmasq do: an awaited receive costs two thread wake-ups per datagram (the socket engine's, then a pool
/// worker's), and under a DHCP storm those wake-ups, not the DHCP work, were most of the daemon's CPU.</para>
/// </summary>
public sealed partial class DhcpServer : IHostedService, IAsyncDisposable
{
    private const int BufferBytes = 1500;   // one Ethernet frame: DHCP over a relay is never fragmented in practice
    /// <summary>Exchanges waiting on the lease store or the inventory at once; the lease store groups their writes.</summary>
    private const int MaxInFlight = 256;
    private readonly DhcpOptions _options;
    private readonly string _interface;
    private readonly DhcpResponder _responder;
    private readonly IDhcpLeaseStore _leases;
    private readonly TimeProvider _time;
    private readonly PxeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<IPEndPoint, Socket> _socketFactory;
    private int _inFlight;
    private readonly List<(Socket Socket, int Port)> _sockets = [];
    private readonly List<Task> _loops = [];
    /// <summary>How often a blocked receive wakes up to look at the stop signal (closing the socket wakes it sooner).</summary>
    private static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(500);
    private CancellationTokenSource? _stopping;

    /// <param name="interfaceName"><c>Metal3:Pxe:Interface</c>; required: a DHCP server is never bound to every network.</param>
    /// <param name="server">Our address on that interface (<c>Metal3:Pxe:Address</c>): server identifier and TFTP next-server.</param>
    /// <param name="socketFactory">Creates the bound UDP sockets; the default binds to the interface. Tests pass one that
    /// creates them inside their network namespace.</param>
    public DhcpServer(DhcpOptions options, string interfaceName, IPAddress server, Uri httpUrl, IBootHostLookup hosts, IDhcpLeaseStore leases,
        TimeProvider time, PxeMetrics metrics, ILogger<DhcpServer> logger, Func<IPEndPoint, Socket>? socketFactory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        _options = options;
        _interface = interfaceName;
        _leases = leases;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _responder = new DhcpResponder(options, server, httpUrl, hosts, leases);
        _socketFactory = socketFactory ?? (endPoint => SocketBinding.Udp(endPoint, interfaceName, 4 << 20, broadcast: true));
    }

    /// <summary>Raised after a reply is sent (the daemon records a boot timeline for known hosts from it). A handler
    /// must be quick and must not throw: it runs on the exchange's path.</summary>
    public event Action<DhcpMessage, DhcpReply>? Replied;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Mode == DhcpMode.Off)
        {
            return Task.CompletedTask;
        }
        _stopping = new CancellationTokenSource();
        var ports = _options.Mode == DhcpMode.Proxy ? new[] { _options.ServerPort, _options.ProxyPort } : [_options.ServerPort];
        foreach (var port in ports)
        {
            var socket = _socketFactory(new IPEndPoint(IPAddress.Any, port));
            _sockets.Add((socket, port));
            _loops.Add(StartReceiveThread(socket, port, _stopping.Token));
        }
        if (_options.Mode == DhcpMode.Full)
        {
            _loops.Add(Task.Run(() => ExpireLoopAsync(_stopping.Token), CancellationToken.None));
        }
        Log.Started(_logger, _options.Mode, _interface, string.Join(",", ports));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }
        await _stopping.CancelAsync();
        foreach (var (socket, _) in _sockets)
        {
            socket.Dispose();
        }
        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _sockets.Clear();
        _loops.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping?.Dispose();
    }

    private Task StartReceiveThread(Socket socket, int port, CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        socket.ReceiveTimeout = (int)ReceivePoll.TotalMilliseconds;
        var thread = new Thread(() =>
        {
            try
            {
                ReceiveLoop(socket, port, stopping);
            }
            finally
            {
                done.SetResult();
            }
        })
        { IsBackground = true, Name = $"dhcp-receive-{port}" };
        thread.Start();
        return done.Task;
    }

    private void ReceiveLoop(Socket socket, int port, CancellationToken stopping)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        while (!stopping.IsCancellationRequested)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, 0, BufferBytes, SocketFlags.None, ref from);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || stopping.IsCancellationRequested)
            {
                continue;
            }
            catch (SocketException e)
            {
                Log.ReceiveFailed(_logger, e.SocketErrorCode);
                continue;
            }
            if (ShouldShed(buffer.AsSpan(0, length)))
            {
                continue;
            }
            Interlocked.Increment(ref _inFlight);
            // Runs here until its first wait: a DISCOVER is answered on this thread, a REQUEST continues once its
            // claim is written.
            _ = HandleAsync(socket, port, buffer, length, (IPEndPoint)from, stopping);
            buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        }
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Whether to drop a datagram unanswered because the server is busy (see the class remarks).</summary>
    private bool ShouldShed(ReadOnlySpan<byte> datagram)
    {
        int busy = Volatile.Read(ref _inFlight);
        if (busy < MaxInFlight / 2)
        {
            return false;
        }
        var type = DhcpCodec.PeekMessageType(datagram);
        if (busy < MaxInFlight && type != DhcpMessageType.Discover)
        {
            return false;   // a REQUEST (or something the handler will report as malformed) still gets in
        }
        _metrics.DhcpPacket(type, "shed");
        return true;
    }

    private async Task HandleAsync(Socket socket, int port, byte[] buffer, int length, IPEndPoint source, CancellationToken stopping)
    {
        DhcpMessageType? type = null;
        try
        {
            var error = DhcpCodec.TryParse(buffer.AsSpan(0, length), out var request);
            if (error != DhcpParseError.None)
            {
                _metrics.DhcpPacket(null, "malformed");
                Log.Malformed(_logger, source, error);
                return;
            }
            type = request.MessageType;
            if (_options.KnownClientsOnly && request.Op == BootpOp.BootRequest && !await _responder.IsKnownClientAsync(request, stopping))
            {
                _metrics.DhcpPacket(type, "unknown");
                Log.Unknown(_logger, request.MessageType, request.Mac ?? "?", request.TransactionId);
                return;
            }
            var reply = await _responder.RespondAsync(request, port, source, stopping);
            if (reply is null)
            {
                _metrics.DhcpPacket(type, "ignored");
                Log.NoReply(_logger, request.MessageType, request.Mac ?? "?", request.TransactionId);
                return;
            }
            // The client's limit (option 57) bounds the reply; ours are far below 576 bytes anyway.
            int n = DhcpCodec.Write(reply.Message, buffer.AsSpan(0, Math.Min(BufferBytes, Math.Max(576, request.MaxMessageSize))));
            if (n < 0)
            {
                _metrics.DhcpPacket(type, "failed");
                return;
            }
            socket.SendTo(buffer, 0, n, SocketFlags.None, reply.Destination);
            _metrics.DhcpPacket(type, reply.Message.MessageType == DhcpMessageType.Nak ? "nak" : "answered");
            Replied?.Invoke(request, reply);
            Log.Replied(_logger, reply.Message.MessageType, request.Mac ?? "?", request.TransactionId, reply.Message.YourAddress, reply.Destination);
        }
        catch (OperationCanceledException)
        {
        }
        catch (StoreUnavailableException)
        {
            // No OFFER, ACK or NAK while the leases cannot be checked: the client retransmits, and a bound client keeps
            // its address until its lease ends (README, "While the lease store is away").
            _metrics.DhcpPacket(type, "unavailable");
            Log.StoreAway(_logger, type, source);
        }
        catch (Exception e)
        {
            // A bad packet, a failing store or lookup must never stop the server.
            _metrics.DhcpPacket(type, "failed");
            Log.HandlingFailed(_logger, source, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ExpireLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    int expired = await _leases.ExpireAsync(_time.GetUtcNow(), stopping);
                    if (expired > 0)
                    {
                        Log.Expired(_logger, expired);
                    }
                }
                catch (StoreUnavailableException)
                {
                    // Expiry only tidies up (an ended lease holds nothing anyway); the next tick tries again.
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ExpireFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "DHCP server ({Mode}) on {Interface}, ports {Ports}")]
        public static partial void Started(ILogger logger, DhcpMode mode, string @interface, string ports);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "DHCP {Type} to {Mac} xid {Xid:x8}: {Address} via {Destination}")]
        public static partial void Replied(ILogger logger, DhcpMessageType type, string mac, uint xid, IPAddress address, IPEndPoint destination);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "DHCP {Type} from {Mac} xid {Xid:x8}: no reply")]
        public static partial void NoReply(ILogger logger, DhcpMessageType type, string mac, uint xid);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "DHCP malformed datagram from {Source}: {Error}")]
        public static partial void Malformed(ILogger logger, IPEndPoint source, DhcpParseError error);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "DHCP receive failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "DHCP handling a datagram from {Source} failed")]
        public static partial void HandlingFailed(ILogger logger, IPEndPoint source, Exception exception);

        [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "DHCP expired {Count} leases")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "DHCP {Type} from {Source}: the lease store is away; no reply")]
        public static partial void StoreAway(ILogger logger, DhcpMessageType? type, IPEndPoint source);

        [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "DHCP lease expiry failed")]
        public static partial void ExpireFailed(ILogger logger, Exception exception);

        // Debug, as for any other packet left unanswered: a flood of invented MACs is counted by the metric, not logged.
        [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "DHCP {Type} from {Mac} xid {Xid:x8}: not a known client (KnownClientsOnly)")]
        public static partial void Unknown(ILogger logger, DhcpMessageType type, string mac, uint xid);
    }
}
