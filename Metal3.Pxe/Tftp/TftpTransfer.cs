using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Metal3.Pxe.Tftp;

/// <summary>
/// One read transfer on its own socket, connected to the client's transfer identifier (RFC 1350 §4).
/// Sends a window of DATA blocks (RFC 7440; a window of 1 is plain RFC 1350 lock-step), then waits for the ACK
/// of its last block. Only an ACK that moves the window forward causes a send: a duplicate ACK is ignored, so a
/// delayed packet never doubles the traffic (the "sorcerer's apprentice" bug, RFC 1123 §4.2.3.1). Lost packets are
/// recovered by our timeout, which resends the window from the first unacknowledged block.
/// </summary>
internal sealed partial class TftpTransfer : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly long _size;
    private readonly TftpRequest _request;
    private readonly Socket _socket;
    private readonly TftpOptions _options;
    private readonly ILogger _logger;
    private readonly IPEndPoint _client;

    private TftpTransfer(SafeFileHandle file, long size, TftpRequest request, Socket socket, IPEndPoint client, TftpOptions options, ILogger logger)
    {
        _file = file;
        _size = size;
        _request = request;
        _socket = socket;
        _client = client;
        _options = options;
        _logger = logger;
        Parameters = TftpNegotiation.ForRead(request, size, options);
    }

    public TftpTransferParameters Parameters { get; }

    public Task<TftpTransferReport> Completion { get; private set; } = Task.FromResult<TftpTransferReport>(null!);

    /// <summary>Read-ahead per transfer: 64 concurrent transfers hold 4 MiB.</summary>
    private const int ReadAheadBytes = 64 << 10;
    private byte[]? _chunk;
    private long _chunkOffset;
    private int _chunkLength;
    private long _blocksSent;
    private int _receiveTimeout;   // what SO_RCVTIMEO is set to, so that it is set only when it changes
    private int _timeouts;
    private long _idleDeadline;    // Environment.TickCount64 past which a transfer that has seen no progress is dropped
    private volatile bool _acknowledged;
    private volatile bool _evicted;

    private static long _lastSequence;

    /// <summary>The order in which transfers were opened (a clock could tie): the server evicts the oldest first.</summary>
    public long Sequence { get; } = Interlocked.Increment(ref _lastSequence);

    /// <summary>
    /// Whether the client has acknowledged anything yet. Until it has, nothing shows that the request came from the
    /// address it names: a spoofed request never gets past this, a real client within one round trip.
    /// </summary>
    public bool Acknowledged => _acknowledged;

    /// <param name="socket">A fresh socket bound to our address and an ephemeral port: this transfer's identifier. Owned from here on.</param>
    public static TftpTransfer Open(string path, TftpRequest request, IPEndPoint client, Socket socket, TftpOptions options, ILogger logger)
    {
        SafeFileHandle? file = null;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
            long size = RandomAccess.GetLength(file);
            socket.Connect(client);
            return new TftpTransfer(file, size, request, socket, client, options, logger);
        }
        catch
        {
            socket.Dispose();
            file?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the transfer on a thread of its own with blocking socket calls, as tftpd-hpa runs a process per transfer:
    /// lock-step TFTP is one round trip per block, and an async hop through the thread pool on every ACK cost a third
    /// of the throughput against tftpd-hpa (bench/pxe/tftp.sh). Stopping closes the socket, which ends the thread.
    /// </summary>
    public void Start(CancellationToken stopping)
    {
        var done = new TaskCompletionSource<TftpTransferReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        Completion = done.Task;
        _socket.ReceiveTimeout = _receiveTimeout = (int)Parameters.Timeout.TotalMilliseconds;
        _idleDeadline = Environment.TickCount64 + (_options.IdleTimeoutSeconds * 1000L);
        var thread = new Thread(() =>
        {
            using var registration = stopping.Register(() => _socket.Dispose());
            var outcome = SendFile(stopping);
            done.SetResult(new TftpTransferReport(_client, _request.FileName, Parameters.BlockSize, Parameters.WindowSize, _size, _blocksSent, _timeouts, outcome));
        })
        {
            IsBackground = true,
            Name = "tftp " + _client,
        };
        thread.Start();
    }

    private TftpTransferOutcome SendFile(CancellationToken stopping)
    {
        int blockSize = Parameters.BlockSize;
        var packet = ArrayPool<byte>.Shared.Rent(TftpPacket.HeaderLength + Math.Max(blockSize, 512));
        var ackBuffer = ArrayPool<byte>.Shared.Rent(1500);
        try
        {
            // The last block is the first one shorter than blksize, possibly empty (RFC 1350 §6).
            long lastBlock = (_size / blockSize) + 1;
            if (Parameters.Acknowledged.Count > 0)
            {
                // RFC 2347 §3: OACK, then the client's ACK of block 0 starts the transfer.
                int oack = TftpPacket.WriteOptionAck(packet, Parameters.Acknowledged);
                var first = Exchange(packet.AsSpan(0, oack), ackBuffer);
                if (first != AckOutcome.Acked)
                {
                    return first == AckOutcome.ClientError ? TftpTransferOutcome.ClientAborted : TftpTransferOutcome.TimedOut;
                }
            }
            long next = 1;   // the first block the client has not acknowledged
            int retries = 0;
            while (next <= lastBlock)
            {
                long windowEnd = Math.Min(lastBlock, next + Parameters.WindowSize - 1);
                for (long block = next; block <= windowEnd; block++)
                {
                    int length = ReadBlock(block, packet, blockSize);
                    _socket.Send(packet.AsSpan(0, length), SocketFlags.None);
                    _blocksSent++;
                }
                var (outcome, acked) = AwaitAck(next - 1, windowEnd, ackBuffer);
                switch (outcome)
                {
                    case AckOutcome.Acked:
                        next = acked + 1;   // a partial ACK inside the window resends from the block after it (RFC 7440 §4)
                        retries = 0;
                        break;
                    case AckOutcome.TimedOut when ++retries <= _options.MaxRetries && !IdleTooLong:
                        _timeouts++;
                        break;
                    default:
                        Log.Abandoned(_logger, _client, _request.FileName, next, outcome);
                        return outcome == AckOutcome.ClientError ? TftpTransferOutcome.ClientAborted : TftpTransferOutcome.TimedOut;
                }
            }
            return TftpTransferOutcome.Completed;
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is ObjectDisposedException or SocketException)
        {
            return TftpTransferOutcome.Stopped;
        }
        catch (Exception e) when (_evicted && e is ObjectDisposedException or SocketException)
        {
            return TftpTransferOutcome.Evicted;
        }
        catch (SocketException e)
        {
            // Typically ICMP port unreachable: the client has gone away.
            Log.SocketFailed(_logger, _client, e.SocketErrorCode);
            return TftpTransferOutcome.ClientAborted;
        }
        catch (Exception e)
        {
            // This runs on a thread of its own: an exception escaping it would end the whole daemon.
            Log.Failed(_logger, _client, _request.FileName, e);
            return TftpTransferOutcome.Failed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packet);
            ArrayPool<byte>.Shared.Return(ackBuffer);
            Dispose();
        }
    }

    /// <summary>Sends the OACK and waits for the ACK of block 0, retransmitting on timeout.</summary>
    private AckOutcome Exchange(ReadOnlySpan<byte> packet, byte[] ackBuffer)
    {
        for (int attempt = 0; attempt <= _options.MaxRetries && !IdleTooLong; attempt++)
        {
            _socket.Send(packet, SocketFlags.None);
            // "acknowledged = -1" so that the window is exactly block 0 (as a 16-bit number, 0 follows 65535).
            var (outcome, _) = AwaitAck(-1, 0, ackBuffer);
            if (outcome != AckOutcome.TimedOut)
            {
                return outcome;
            }
            _timeouts++;
        }
        return AckOutcome.TimedOut;
    }

    internal enum AckOutcome { Acked, TimedOut, ClientError }

    /// <summary>No progress for <see cref="TftpOptions.IdleTimeoutSeconds"/>: a bound that holds whatever the retries are.</summary>
    private bool IdleTooLong => Environment.TickCount64 >= _idleDeadline;

    /// <summary>
    /// Ends the transfer from another thread (the server's, to make room): closing the socket wakes the blocked receive,
    /// and the transfer reports <see cref="TftpTransferOutcome.Evicted"/>.
    /// </summary>
    public void Evict()
    {
        _evicted = true;
        _socket.Dispose();
    }

    /// <summary>
    /// Waits until an ACK for a block in (<paramref name="acknowledged"/>, <paramref name="windowEnd"/>] arrives.
    /// ACKs outside that range are duplicates or stale and are dropped without any reply.
    /// </summary>
    private (AckOutcome, long) AwaitAck(long acknowledged, long windowEnd, byte[] buffer)
    {
        // The timeout counts from the last packet we sent; stale packets do not extend it. Nor does waiting go past the
        // idle deadline.
        int full = (int)Parameters.Timeout.TotalMilliseconds;
        long start = Environment.TickCount64;
        long deadline = Math.Min(start + full, _idleDeadline);
        for (bool first = true; ; first = false)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return (AckOutcome.TimedOut, 0);
            }
            // The common case (the first packet is the ACK) costs no setsockopt; only after a stale packet, or near the
            // idle deadline, is the remaining time set.
            int wanted = first && deadline == start + full ? full : (int)left;
            if (wanted != _receiveTimeout)
            {
                _socket.ReceiveTimeout = _receiveTimeout = wanted;
            }
            int n;
            try
            {
                n = _socket.Receive(buffer, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return (AckOutcome.TimedOut, 0);
            }
            var span = buffer.AsSpan(0, n);
            if (TftpPacket.TryParseAck(span, out ushort wire) == TftpParseError.None)
            {
                // Block numbers are 16 bits on the wire and roll over to 0 (as tftp-hpa, atftp and iPXE expect);
                // map the wire number back into the window.
                long offset = (ushort)(wire - (ushort)acknowledged);
                if (offset >= 1 && acknowledged + offset <= windowEnd)
                {
                    _acknowledged = true;
                    _idleDeadline = Environment.TickCount64 + (_options.IdleTimeoutSeconds * 1000L);
                    return (AckOutcome.Acked, acknowledged + offset);
                }
                continue;
            }
            if (TftpPacket.TryParseError(span, out _, out _) == TftpParseError.None)
            {
                // e.g. OVMF's size probe: it reads tsize from the OACK and aborts with an ERROR (docs/lab.md).
                return (AckOutcome.ClientError, 0);
            }
        }
    }

    /// <summary>
    /// Copies a block into the packet from a read-ahead chunk of whole blocks, refilled with one read when the block is
    /// outside it: lock-step TFTP is a round trip per block, and a read per block was a third of the server's system
    /// calls on that path (tftpd-hpa makes four per block; this makes two).
    /// </summary>
    private int ReadBlock(long block, byte[] packet, int blockSize)
    {
        long offset = (block - 1) * blockSize;
        int length = (int)Math.Clamp(_size - offset, 0, blockSize);
        TftpPacket.WriteDataHeader(packet, (ushort)block);
        if (length > 0)
        {
            if (offset < _chunkOffset || offset + length > _chunkOffset + _chunkLength)
            {
                _chunk ??= new byte[Math.Max(1, ReadAheadBytes / blockSize) * blockSize];
                _chunkOffset = offset;
                _chunkLength = RandomAccess.Read(_file, _chunk, offset);
                length = Math.Min(length, _chunkLength);   // the file shrank under us: send what there is
            }
            _chunk.AsSpan((int)(offset - _chunkOffset), length).CopyTo(packet.AsSpan(TftpPacket.DataOffset));
        }
        return TftpPacket.HeaderLength + length;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _file.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "TFTP {Client} {File}: abandoned at block {Block} ({Outcome})")]
        public static partial void Abandoned(ILogger logger, IPEndPoint client, string file, long block, AckOutcome outcome);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "TFTP {Client} {File}: transfer failed")]
        public static partial void Failed(ILogger logger, IPEndPoint client, string file, Exception exception);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "TFTP {Client}: socket error {Error}")]
        public static partial void SocketFailed(ILogger logger, IPEndPoint client, SocketError error);
    }
}
