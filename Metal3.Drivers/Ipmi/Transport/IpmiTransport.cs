using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Ipmi.Transport;

/// <summary>
/// One UDP socket for every BMC the daemon talks to. A single receive loop hands each datagram to the mailbox of the
/// endpoint it came from; whoever holds that BMC's lock reads the mailbox and decides whether the datagram is the
/// answer it waits for. Datagrams from endpoints nobody is talking to are dropped here.
/// </summary>
internal sealed class IpmiTransport : IAsyncDisposable
{
    /// <summary>Per-BMC backlog; only one exchange is in flight per BMC, so a few slots cover retransmitted duplicates.</summary>
    private const int MailboxCapacity = 16;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, Channel<byte[]>> _mailboxes = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _receiveLoop;

    public IpmiTransport(ILogger logger)
    {
        _logger = logger;
        _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        // A sweep of hundreds of BMCs answers in a burst; a larger receive buffer keeps the kernel from dropping them.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>The mailbox of one BMC endpoint, created on first use.</summary>
    public ChannelReader<byte[]> Mailbox(IPEndPoint endpoint) => MailboxFor(Normalize(endpoint)).Reader;

    private Channel<byte[]> MailboxFor(IPEndPoint endpoint) =>
        _mailboxes.GetOrAdd(endpoint, _ => Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(MailboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));

    /// <summary>Drops whatever is waiting in the mailbox (late answers to an earlier exchange).</summary>
    public void Drain(IPEndPoint endpoint)
    {
        var reader = MailboxFor(Normalize(endpoint)).Reader;
        while (reader.TryRead(out _))
        {
        }
    }

    public async ValueTask SendAsync(IPEndPoint endpoint, ReadOnlyMemory<byte> datagram, CancellationToken ct)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, endpoint, ct);
        }
        catch (SocketException e)
        {
            // No route, network down: the exchange will time out and say "unreachable"; nothing to crash over.
            IpmiLog.SendFailed(_logger, endpoint, e.SocketErrorCode);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[SessionPacketCodec.MaxDatagram + 1];
        EndPoint any = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!_stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stopping.Token);
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
                // ICMP port unreachable and similar surface here on some platforms; keep listening.
                IpmiLog.ReceiveFailed(_logger, e.SocketErrorCode);
                continue;
            }
            var from = Normalize((IPEndPoint)result.RemoteEndPoint);
            if (result.ReceivedBytes > SessionPacketCodec.MaxDatagram)
            {
                IpmiLog.Dropped(_logger, from, "oversized datagram");
                continue;
            }
            if (!_mailboxes.TryGetValue(from, out var mailbox))
            {
                IpmiLog.Dropped(_logger, from, "datagram from an endpoint we are not talking to");
                continue;
            }
            mailbox.Writer.TryWrite(buffer.AsSpan(0, result.ReceivedBytes).ToArray());
        }
    }

    private static IPEndPoint Normalize(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _socket.Dispose();
        try
        {
            await _receiveLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        _stopping.Dispose();
    }
}
