using System.Net;
using System.Net.Sockets;

namespace Metal3.Drivers.Tests.Ipmi.Simulators;

/// <summary>
/// A UDP relay between the driver and a simulated BMC that surrounds every real answer with bad datagrams: garbage,
/// a truncated copy, a tampered copy, an oversized one, a copy with another session id, and a replay of the previous
/// answer. The real answer always comes last, so a driver that drops the bad ones succeeds.
/// </summary>
internal sealed class HostileProxy : IAsyncDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _bmc;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private IPEndPoint? _client;
    private byte[]? _previous;

    public HostileProxy(int bmcPort)
    {
        _bmc = new IPEndPoint(IPAddress.Loopback, bmcPort);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loops = [Task.Run(ForwardRequestsAsync), Task.Run(ForwardAnswersAsync)];
    }

    public int Port => ((IPEndPoint)_front.LocalEndPoint!).Port;
    public int BadDatagramsSent { get; private set; }

    private async Task ForwardRequestsAsync()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            _client = (IPEndPoint)r.RemoteEndPoint;
            await _back.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, _bmc, _stop.Token);
        }
    }

    private async Task ForwardAnswersAsync()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r = await _back.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            byte[] real = buffer[..r.ReceivedBytes];
            if (_client is null)
            {
                continue;
            }
            foreach (byte[] bad in BadVersionsOf(real))
            {
                await _front.SendToAsync(bad, SocketFlags.None, _client, _stop.Token);
                BadDatagramsSent++;
            }
            await _front.SendToAsync(real, SocketFlags.None, _client, _stop.Token);
            _previous = real;
        }
    }

    private IEnumerable<byte[]> BadVersionsOf(byte[] real)
    {
        yield return Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 40); // garbage
        yield return real[..(real.Length / 2)];                                                                  // truncated
        byte[] tampered = (byte[])real.Clone();
        tampered[^1] ^= 0x01;
        yield return tampered;                                                                                   // bad HMAC / checksum
        yield return [.. real, .. new byte[1100]];                                                              // oversized
        if (real.Length > 10)
        {
            byte[] otherSession = (byte[])real.Clone();
            otherSession[6] ^= 0x5A;
            yield return otherSession;                                                                           // wrong session id
        }
        if (_previous is not null)
        {
            yield return _previous;                                                                              // replay
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _front.Dispose();
        _back.Dispose();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }
}
