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
    private readonly Socket front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint bmc;
    private readonly CancellationTokenSource stop = new();
    private readonly Task[] loops;
    private IPEndPoint? client;
    private byte[]? previous;

    public HostileProxy(int bmcPort)
    {
        bmc = new IPEndPoint(IPAddress.Loopback, bmcPort);
        front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        loops = [Task.Run(ForwardRequestsAsync), Task.Run(ForwardAnswersAsync)];
    }

    public int Port => ((IPEndPoint)front.LocalEndPoint!).Port;
    public int BadDatagramsSent { get; private set; }

    private async Task ForwardRequestsAsync()
    {
        var buffer = new byte[2048];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r = await front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            client = (IPEndPoint)r.RemoteEndPoint;
            await back.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, bmc, stop.Token);
        }
    }

    private async Task ForwardAnswersAsync()
    {
        var buffer = new byte[2048];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r = await back.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            byte[] real = buffer[..r.ReceivedBytes];
            if (client is null)
            {
                continue;
            }
            foreach (byte[] bad in BadVersionsOf(real))
            {
                await front.SendToAsync(bad, SocketFlags.None, client, stop.Token);
                BadDatagramsSent++;
            }
            await front.SendToAsync(real, SocketFlags.None, client, stop.Token);
            previous = real;
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
        if (previous is not null)
        {
            yield return previous;                                                                              // replay
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        front.Dispose();
        back.Dispose();
        try
        {
            await Task.WhenAll(loops);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        stop.Dispose();
    }
}
