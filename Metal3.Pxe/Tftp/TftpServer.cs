using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metal3.Pxe.Tftp;

/// <summary>
/// Read-only TFTP server. The well-known port only receives requests; every transfer runs on its own socket and
/// port (RFC 1350 §4, "transfer identifiers"), so sessions never share state and a stray packet cannot reach one.
/// <para>
/// The provisioning network is hostile, and a read request is one unauthenticated datagram with any source address.
/// So a transfer's slot is bounded three ways: in time (the timeout a client may ask for is capped, and a transfer
/// that sees no progress is dropped, <see cref="TftpTransfer"/>), per source address (<see cref="TftpOptions.MaxSessionsPerClient"/>),
/// and by eviction: when a request finds its address's share or the whole table full, the oldest transfer that has
/// not yet been acknowledged by its client makes room. A spoofed request can never be acknowledged (its OACK or first
/// block goes to the address it forged), while a real client acknowledges within a round trip, so a flood of forged
/// requests evicts only itself and a real client still gets a slot.
/// </para>
/// </summary>
public sealed partial class TftpServer : IHostedService, IAsyncDisposable
{
    private const int MaxRequestBytes = 1500;
    private readonly TftpOptions _options;
    private readonly IPAddress _address;
    private readonly TftpRoot _root;
    private readonly PxeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, TftpTransfer> _sessions = new();
    /// <summary>Transfers per source address, kept with <see cref="_sessions"/> under <see cref="_countsLock"/>.</summary>
    private readonly Dictionary<IPAddress, int> _perClient = [];
    private readonly Lock _countsLock = new();
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    // One line per interval for what a flood repeats per packet; the metric counts each (receive loop only).
    private readonly LogThrottle _limitedLog = new(LogInterval);
    private readonly LogThrottle _busyLog = new(LogInterval);
    private readonly LogThrottle _evictedLog = new(LogInterval);
    private readonly Func<IPEndPoint, Socket> _socketFactory;
    private Socket? _socket;
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <param name="address">Address to listen on (<c>Metal3:Pxe:Address</c>; 127.0.0.1 in tests).</param>
    /// <param name="interfaceName"><c>Metal3:Pxe:Interface</c>, or null to listen on <paramref name="address"/> only.</param>
    /// <param name="socketFactory">Creates bound UDP sockets (the listener and one per transfer); the default binds to
    /// the interface with large buffers. Tests pass one that creates them inside their network namespace.</param>
    public TftpServer(TftpOptions options, IPAddress address, string? interfaceName, PxeMetrics metrics, ILogger<TftpServer> logger,
        Func<IPEndPoint, Socket>? socketFactory = null)
    {
        // Large buffers: a whole window must fit in the kernel's send queue, or sends block and ACKs queue up.
        _socketFactory = socketFactory ?? (endPoint => SocketBinding.Udp(endPoint, interfaceName, 4 << 20));
        _options = options;
        _address = address;
        _root = new TftpRoot(options.Root);
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The bound endpoint (useful with <c>Port = 0</c> in tests).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket ?? throw new InvalidOperationException("not started")).LocalEndPoint!;

    public int ActiveSessions => _sessions.Count;

    /// <summary>Raised when a transfer ends, however it ends (for metrics, and for tests to observe negotiation).</summary>
    public event Action<TftpTransferReport>? TransferCompleted;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _socket = _socketFactory(new IPEndPoint(_address, _options.Port));
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => ReceiveLoopAsync(_stopping.Token), CancellationToken.None);
        Log.Started(_logger, LocalEndPoint, _root.Root);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }
        await _stopping.CancelAsync();
        _socket?.Dispose();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        foreach (var session in _sessions.Values)
        {
            await ((Task)session.Completion).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping?.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        var buffer = new byte[MaxRequestBytes];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket!.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.ReceiveFailed(_logger, e.SocketErrorCode);
                continue;
            }
            var client = (IPEndPoint)received.RemoteEndPoint;
            try
            {
                HandleRequest(buffer.AsSpan(0, received.ReceivedBytes), client, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing a client sends may stop the server (issue 6, fuzz requirement).
                Log.RequestFailed(_logger, client, e);
            }
        }
    }

    private void HandleRequest(ReadOnlySpan<byte> packet, IPEndPoint client, CancellationToken stopping)
    {
        if (TftpPacket.TryParseRequest(packet, out var request) != TftpParseError.None)
        {
            Log.Malformed(_logger, client);
            // RFC 1350 §5: an ERROR is the only answer to an unexpected packet; it is never retransmitted.
            SendError(client, TftpErrorCode.IllegalOperation, "malformed request");
            return;
        }
        if (request.Opcode == TftpOpcode.WriteRequest)
        {
            SendError(client, TftpErrorCode.AccessViolation, "read-only server");
            return;
        }
        if (request.Mode is not ("octet" or "netascii"))
        {
            SendError(client, TftpErrorCode.IllegalOperation, "unsupported mode");
            return;
        }
        if (_sessions.ContainsKey(client))
        {
            return;   // a retransmitted RRQ while its transfer runs: the transfer's own retransmission answers it
        }
        var path = _root.Resolve(request.FileName);
        if (path is null)
        {
            Log.Refused(_logger, client, request.FileName);
            _metrics.TftpRefused();
            SendError(client, TftpErrorCode.FileNotFound, "file not found");
            return;
        }
        if (!MakeRoom(client))
        {
            return;
        }
        TftpTransfer transfer;
        try
        {
            transfer = TftpTransfer.Open(path, request, client, _socketFactory(new IPEndPoint(_address, 0)), _options, _logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            SendError(client, TftpErrorCode.AccessViolation, "cannot read file");
            return;
        }
        if (!_sessions.TryAdd(client, transfer))
        {
            transfer.Dispose();
            return;
        }
        lock (_countsLock)
        {
            _perClient[client.Address] = CountFor(client.Address) + 1;
        }
        Log.Transfer(_logger, client, request.FileName, transfer.Parameters.BlockSize, transfer.Parameters.WindowSize);
        _metrics.TftpStarted();
        transfer.Start(stopping);
        _ = transfer.Completion.ContinueWith(
            t =>
            {
                Forget(client, transfer);
                if (t.IsCompletedSuccessfully)
                {
                    _metrics.TftpEnded(t.Result);
                    TransferCompleted?.Invoke(t.Result);
                }
            },
            TaskScheduler.Default);
    }

    /// <summary>
    /// Whether a new transfer for <paramref name="client"/> may start, evicting an unacknowledged transfer if that is
    /// what it takes; when not, the client has been sent an ERROR. Runs on the receive loop only, so nothing else adds
    /// transfers meanwhile (transfers that end only free room).
    /// </summary>
    private bool MakeRoom(IPEndPoint client)
    {
        int fromClient;
        lock (_countsLock)
        {
            fromClient = CountFor(client.Address);
        }
        if (fromClient >= _options.MaxSessionsPerClient && !EvictOldestUnacknowledged(client, client.Address))
        {
            _metrics.TftpLimited();
            if (_limitedLog.ShouldLog(Environment.TickCount64, out int suppressed))
            {
                Log.Limited(_logger, client, fromClient, suppressed);
            }
            // RFC 1350 has no code for "too many"; 0 ("not defined, see error message") as for "server busy".
            SendError(client, TftpErrorCode.NotDefined, "too many transfers from this address");
            return false;
        }
        if (_sessions.Count >= _options.MaxSessions && !EvictOldestUnacknowledged(client, null))
        {
            _metrics.TftpBusy();
            if (_busyLog.ShouldLog(Environment.TickCount64, out int suppressed))
            {
                Log.Busy(_logger, client, _options.MaxSessions, suppressed);
            }
            SendError(client, TftpErrorCode.NotDefined, "server busy");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Ends the oldest transfer (from <paramref name="address"/>, or from anyone) whose client has acknowledged nothing.
    /// A scan of the table: it runs only when a share or the table is full, and the table is small (<see cref="TftpOptions.MaxSessions"/>).
    /// </summary>
    private bool EvictOldestUnacknowledged(IPEndPoint client, IPAddress? address)
    {
        KeyValuePair<IPEndPoint, TftpTransfer>? oldest = null;
        foreach (var session in _sessions)
        {
            if (!session.Value.Acknowledged && (address is null || session.Key.Address.Equals(address))
                && (oldest is null || session.Value.Sequence < oldest.Value.Value.Sequence))
            {
                oldest = session;
            }
        }
        if (oldest is not { } victim)
        {
            return false;
        }
        // Forgotten now, so that its room is free for this request; its thread ends on its own and reports Evicted.
        Forget(victim.Key, victim.Value);
        victim.Value.Evict();
        if (_evictedLog.ShouldLog(Environment.TickCount64, out int suppressed))
        {
            Log.Evicted(_logger, victim.Key, client, suppressed);
        }
        return true;
    }

    /// <summary>Removes this transfer (and not a newer one for the same client) and its count; a second call does nothing.</summary>
    private void Forget(IPEndPoint client, TftpTransfer transfer)
    {
        if (!_sessions.TryRemove(KeyValuePair.Create(client, transfer)))
        {
            return;
        }
        lock (_countsLock)
        {
            int left = CountFor(client.Address) - 1;
            if (left > 0)
            {
                _perClient[client.Address] = left;
            }
            else
            {
                _perClient.Remove(client.Address);
            }
        }
    }

    private int CountFor(IPAddress address) => _perClient.GetValueOrDefault(address);

    private void SendError(IPEndPoint client, TftpErrorCode code, string message)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(512);
        try
        {
            int n = TftpPacket.WriteError(buffer, code, message);
            _socket!.SendTo(buffer.AsSpan(0, n), SocketFlags.None, client);
        }
        catch (SocketException)
        {
            // best effort: the client may be gone
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "TFTP server listening on {EndPoint}, root {Root}")]
        public static partial void Started(ILogger logger, IPEndPoint endPoint, string root);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "TFTP {Client} reads {File} (blksize {BlockSize}, windowsize {WindowSize})")]
        public static partial void Transfer(ILogger logger, IPEndPoint client, string file, int blockSize, int windowSize);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "TFTP {Client} refused {File}: not a file under the root")]
        public static partial void Refused(ILogger logger, IPEndPoint client, string file);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "TFTP malformed request from {Client}")]
        public static partial void Malformed(ILogger logger, IPEndPoint client);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "TFTP receive failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "TFTP request from {Client} failed")]
        public static partial void RequestFailed(ILogger logger, IPEndPoint client, Exception exception);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
            Message = "TFTP refused {Client}: its address holds {Count} transfers, all acknowledged (Metal3:Pxe:Tftp:MaxSessionsPerClient); {Suppressed} more refused since the last such line")]
        public static partial void Limited(ILogger logger, IPEndPoint client, int count, int suppressed);

        [LoggerMessage(EventId = 2008, Level = LogLevel.Warning,
            Message = "TFTP refused {Client}: all {Max} transfer slots are held by acknowledged transfers; {Suppressed} more refused since the last such line")]
        public static partial void Busy(ILogger logger, IPEndPoint client, int max, int suppressed);

        [LoggerMessage(EventId = 2009, Level = LogLevel.Information,
            Message = "TFTP dropped the unacknowledged transfer to {Victim} to make room for {Client}; {Suppressed} more dropped since the last such line")]
        public static partial void Evicted(ILogger logger, IPEndPoint victim, IPEndPoint client, int suppressed);
    }
}
