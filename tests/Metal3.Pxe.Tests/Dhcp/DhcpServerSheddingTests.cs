using System.Net;
using System.Net.Sockets;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Support;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>
/// A busy server drops new DISCOVERs and still takes REQUESTs. "Busy" is made on purpose: a lease store whose bindings
/// wait until the test lets them go, as a stalled database would.
/// </summary>
public sealed class DhcpServerSheddingTests
{
    private sealed class StalledStore(IDhcpLeaseStore inner) : IDhcpLeaseStore
    {
        private int _waiting;
        public TaskCompletionSource Go { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Waiting => Volatile.Read(ref _waiting);

        public async ValueTask<DhcpLease?> RenewAsync(LeaseRequest request, TimeSpan duration, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            await Go.Task;
            return await inner.RenewAsync(request, duration, cancellationToken);
        }

        public ValueTask<DhcpLease?> AllocateAsync(LeaseRequest request, TimeSpan hold, CancellationToken cancellationToken) => inner.AllocateAsync(request, hold, cancellationToken);
        public ValueTask ReleaseAsync(string clientKey, IPAddress address, CancellationToken cancellationToken) => inner.ReleaseAsync(clientKey, address, cancellationToken);
        public ValueTask WithdrawOfferAsync(string clientKey, IPAddress address, CancellationToken cancellationToken) => inner.WithdrawOfferAsync(clientKey, address, cancellationToken);
        public ValueTask DeclineAsync(string clientKey, IPAddress address, TimeSpan quarantine, CancellationToken cancellationToken) => inner.DeclineAsync(clientKey, address, quarantine, cancellationToken);
        public ValueTask<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.ExpireAsync(now, cancellationToken);
    }

    [Fact]
    public async Task With_half_its_slots_waiting_the_server_drops_new_discovers_but_takes_requests()
    {
        StalledStore? stalled = null;
        await using var lab = await DhcpLab.StartAsync(store: leases => stalled = new StalledStore(leases));
        lab.Net.AddClient("52:54:00:ee:10:01", "198.18.0.9/24");
        using var socket = NetworkNamespace.Inside(lab.Net.Clients, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        var server = new IPEndPoint(IPAddress.Parse(NetworkNamespace.ServerAddress), 67);
        async Task Send(DhcpMessageType type, int client)
        {
            var buffer = new byte[600];
            int n = DhcpCodec.Write(Message(type, client), buffer);
            await socket.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, server);
        }

        for (int i = 0; i < 128; i++)
        {
            await Send(DhcpMessageType.Request, i);
        }
        await Eventually.Until(() => stalled!.Waiting == 128, TimeSpan.FromSeconds(20), () => "128 REQUESTs waiting on the store");

        await Send(DhcpMessageType.Discover, 500);
        await Eventually.Until(() => lab.PacketsEnded("shed") == 1, TimeSpan.FromSeconds(10), () => "the DISCOVER dropped");
        await Send(DhcpMessageType.Request, 501);
        await Eventually.Until(() => stalled!.Waiting == 129, TimeSpan.FromSeconds(10), () => "the REQUEST taken although the server is busy");
        Assert.Equal(0, lab.PacketsEnded("answered", "nak"));

        stalled!.Go.SetResult();
        await Eventually.Until(() => lab.PacketsEnded("answered", "nak") == 129, TimeSpan.FromSeconds(20), () => "every waiting REQUEST answered");
        await Send(DhcpMessageType.Discover, 502);
        await Eventually.Until(() => lab.PacketsEnded("answered", "nak") == 130, TimeSpan.FromSeconds(10), () => "a DISCOVER answered once the server is no longer busy");
        Assert.Equal(1, lab.PacketsEnded("shed"));
    }

    /// <summary>A REQUEST asks for one of the pool's first 50 addresses (clients beyond 50 are NAKed), leaving the DISCOVERs room.</summary>
    private static DhcpMessage Message(DhcpMessageType type, int client)
    {
        var options = new List<DhcpOptionValue> { new(DhcpOption.MessageType, [(byte)type]) };
        if (type == DhcpMessageType.Request)
        {
            options.Add(new(DhcpOption.RequestedIpAddress, [198, 18, 0, (byte)(100 + client % 50)]));
            options.Add(new(DhcpOption.ServerIdentifier, IPAddress.Parse(NetworkNamespace.ServerAddress).GetAddressBytes()));
        }
        var chaddr = new byte[16];
        new byte[] { 0x52, 0x54, 0x00, 0xdd, (byte)(client >> 8), (byte)client }.CopyTo(chaddr, 0);
        return new DhcpMessage
        {
            Op = BootpOp.BootRequest,
            HardwareType = 1,
            HardwareLength = 6,
            TransactionId = (uint)(0x5eed0000 + client),
            ClientHardwareAddress = chaddr,
            Options = options,
        };
    }
}
