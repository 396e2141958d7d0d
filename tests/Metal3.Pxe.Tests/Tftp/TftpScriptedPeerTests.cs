using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Metal3.Pxe.Tftp;

namespace Metal3.Pxe.Tests.Tftp;

/// <summary>
/// A scripted client for what real clients cannot be told to do on purpose: lose an ACK, repeat one.
/// Reads like the conversation on the wire.
/// </summary>
public sealed class TftpScriptedPeerTests(TftpFixture tftp) : IClassFixture<TftpFixture>
{
    private sealed class Peer : IDisposable
    {
        private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly IPEndPoint _server;
        public IPEndPoint? TransferId { get; private set; }
        public int LocalPort => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

        public Peer(int port) => _server = new IPEndPoint(IPAddress.Loopback, port);

        public Task Request(string file, params string[] options)
        {
            var buffer = new byte[512];
            int n = TftpPacket.WriteRequest(buffer, new TftpRequest(TftpOpcode.ReadRequest, file, "octet",
                options.Chunk(2).Select(o => new KeyValuePair<string, string>(o[0], o[1])).ToList()));
            return _udp.SendAsync(buffer.AsMemory(0, n), _server).AsTask();
        }

        /// <summary>The next packet, or null when none comes within <paramref name="wait"/>.</summary>
        public async Task<byte[]?> Receive(TimeSpan wait)
        {
            using var cts = new CancellationTokenSource(wait);
            try
            {
                var r = await _udp.ReceiveAsync(cts.Token);
                TransferId ??= r.RemoteEndPoint;
                return r.Buffer;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public async Task<ushort> ReceiveData()
        {
            var p = await Receive(TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException("no DATA");
            Assert.Equal(TftpOpcode.Data, (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(p));
            return BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2));
        }

        public Task Ack(ushort block)
        {
            var b = new byte[4];
            TftpPacket.WriteAck(b, block);
            return _udp.SendAsync(b, TransferId!).AsTask();
        }

        public Task Error()
        {
            var b = new byte[64];
            int n = TftpPacket.WriteError(b, TftpErrorCode.OptionsRefused, "size probe only");
            return _udp.SendAsync(b.AsMemory(0, n), TransferId!).AsTask();
        }

        public void Dispose() => _udp.Dispose();
    }

    [Fact]
    public async Task A_lost_ack_is_recovered_by_the_servers_retransmission()
    {
        using var peer = new Peer(tftp.Port);
        await peer.Request(TftpFixture.Small, "timeout", "1");
        Assert.Equal(TftpOpcode.OptionAck, (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian((await peer.Receive(TimeSpan.FromSeconds(5)))!));
        await peer.Ack(0);
        Assert.Equal(1, await peer.ReceiveData());

        // The ACK of block 1 is "lost": we say nothing, and the server resends block 1 after its timeout.
        Assert.Equal(1, await peer.ReceiveData());
        await peer.Ack(1);

        var report = await tftp.ReportFor(TftpFixture.Small, peer.LocalPort);
        Assert.Equal(TftpTransferOutcome.Completed, report.Outcome);
        Assert.Equal(1, report.Timeouts);
    }

    [Fact]
    public async Task A_duplicate_ack_does_not_make_the_server_send_twice()
    {
        using var peer = new Peer(tftp.Port);
        // Lock-step, 512-byte blocks, and a 5 s retransmission timer so that a slow test process cannot
        // mistake the server's timeout resend for an answer to the duplicate.
        await peer.Request(TftpFixture.Exact, "timeout", "5");
        Assert.Equal(TftpOpcode.OptionAck, (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian((await peer.Receive(TimeSpan.FromSeconds(5)))!));
        await peer.Ack(0);
        Assert.Equal(1, await peer.ReceiveData());
        await peer.Ack(1);
        Assert.Equal(2, await peer.ReceiveData());

        await peer.Ack(1);                                 // a delayed duplicate of the first ACK

        // Sorcerer's apprentice: answering it would resend block 2. Nothing may come before the 5 s timeout.
        Assert.Null(await peer.Receive(TimeSpan.FromSeconds(1)));
        await peer.Ack(2);
        Assert.Equal(3, await peer.ReceiveData());
    }

    [Fact]
    public async Task A_window_is_resent_from_the_block_after_a_partial_ack()
    {
        using var peer = new Peer(tftp.Port);
        await peer.Request(TftpFixture.Big, "blksize", "1024", "windowsize", "4");
        await peer.Receive(TimeSpan.FromSeconds(5));      // OACK
        await peer.Ack(0);
        var window = new[] { await peer.ReceiveData(), await peer.ReceiveData(), await peer.ReceiveData(), await peer.ReceiveData() };
        Assert.Equal(new ushort[] { 1, 2, 3, 4 }, window);

        await peer.Ack(2);                                 // RFC 7440 §4: blocks 3 and 4 were lost

        Assert.Equal(new ushort[] { 3, 4, 5, 6 }, new[] { await peer.ReceiveData(), await peer.ReceiveData(), await peer.ReceiveData(), await peer.ReceiveData() });
        await peer.Error();
    }

    /// <summary>
    /// The server reads ahead in chunks of whole blocks (64 KiB: 64 blocks of 1024 bytes). A window that crosses a
    /// chunk, then a partial ACK that sends it back into the previous chunk: every block, first sent or resent, carries
    /// the file's own bytes.
    /// </summary>
    [Fact]
    public async Task Blocks_resent_across_a_read_ahead_boundary_carry_the_files_bytes()
    {
        var file = await File.ReadAllBytesAsync(Path.Combine(tftp.Root, TftpFixture.Big));
        using var peer = new Peer(tftp.Port);
        await peer.Request(TftpFixture.Big, "blksize", "1024", "windowsize", "16");
        await peer.Receive(TimeSpan.FromSeconds(5));      // OACK
        await peer.Ack(0);
        var blocks = new List<(ushort Block, byte[] Data)>();
        for (ushort acked = 0; acked < 48; acked += 16)
        {
            for (int i = 0; i < 16; i++)
            {
                blocks.Add(await ReceiveBlock(peer));
            }
            await peer.Ack((ushort)(acked + 16));
        }
        await Receive16();                             // 49-64, the end of the first chunk
        await peer.Ack(56);                            // 57-64 lost
        await Receive16();                             // 57-72: 65 on come from the second chunk
        await peer.Ack(60);                            // 61-72 lost: back into the first chunk
        await Receive16();                             // 61-76
        await peer.Error();

        Assert.Equal(Enumerable.Range(57, 16).Concat(Enumerable.Range(61, 16)).Select(b => (ushort)b), blocks[^32..].Select(b => b.Block));
        Assert.All(blocks, b => Assert.Equal(Convert.ToHexString(file.AsSpan((b.Block - 1) * 1024, 1024)), Convert.ToHexString(b.Data)));

        async Task Receive16()
        {
            for (int i = 0; i < 16; i++)
            {
                blocks.Add(await ReceiveBlock(peer));
            }
        }

        static async Task<(ushort, byte[])> ReceiveBlock(Peer peer)
        {
            var p = await peer.Receive(TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException("no DATA");
            Assert.Equal(TftpOpcode.Data, (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(p));
            return (BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)), p[4..]);
        }
    }

    [Fact]
    public async Task A_client_that_aborts_after_the_oack_ends_the_transfer_quietly()
    {
        // OVMF reads tsize from the OACK, then sends ERROR 8 and asks again (docs/lab.md).
        using var peer = new Peer(tftp.Port);
        await peer.Request(TftpFixture.Exact, "tsize", "0");
        var oack = await peer.Receive(TimeSpan.FromSeconds(5));
        Assert.Equal(TftpOpcode.OptionAck, (TftpOpcode)BinaryPrimitives.ReadUInt16BigEndian(oack));
        Assert.Equal("\u0006tsize\u00005872\u0000", System.Text.Encoding.ASCII.GetString(oack!.AsSpan(1)));

        await peer.Error();

        var report = await tftp.ReportFor(TftpFixture.Exact, peer.LocalPort);
        Assert.Equal(TftpTransferOutcome.ClientAborted, report.Outcome);
        Assert.Equal(0, report.BlocksSent);
    }
}
