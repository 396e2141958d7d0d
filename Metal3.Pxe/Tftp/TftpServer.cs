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
        if (_sessions.Count >= _options.MaxSessions)
        {
            SendError(client, TftpErrorCode.NotDefined, "server busy");
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
        Log.Transfer(_logger, client, request.FileName, transfer.Parameters.BlockSize, transfer.Parameters.WindowSize);
        _metrics.TftpStarted();
        transfer.Start(stopping);
        _ = transfer.Completion.ContinueWith(
            t =>
            {
                _sessions.TryRemove(client, out var _);
                if (t.IsCompletedSuccessfully)
                {
                    _metrics.TftpEnded(t.Result);
                    TransferCompleted?.Invoke(t.Result);
                }
            },
            TaskScheduler.Default);
    }

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
    }
}
