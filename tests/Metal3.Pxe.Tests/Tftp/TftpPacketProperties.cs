using CsCheck;
using Metal3.Pxe.Tftp;

namespace Metal3.Pxe.Tests.Tftp;

public class TftpPacketProperties
{
    private const long Cases = 100_000;

    [Fact]
    public void Random_datagrams_never_throw_from_any_parser()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            if (TftpPacket.TryParseRequest(bytes, out var request) == TftpParseError.None)
            {
                var p = TftpNegotiation.ForRead(request, 12345, new TftpOptions());
                Assert.InRange(p.BlockSize, 8, 65464);
                Assert.InRange(p.WindowSize, 1, 64);
            }
            TftpPacket.TryParseAck(bytes, out _);
            TftpPacket.TryParseError(bytes, out _, out _);
            TftpPacket.TryParseOpcode(bytes, out _);
        }, iter: Cases);
    }

    private static readonly Gen<string> Token = Gen.Char['!', '~'].Array[1, 20].Select(c => new string(c));

    [Fact]
    public void Any_request_we_write_is_read_back_the_same()
    {
        Gen.Select(Token, Gen.OneOf("octet", "netascii"), Gen.Select(Token, Token).Array[0, 5]).Sample((file, mode, options) =>
        {
            var request = new TftpRequest(TftpOpcode.ReadRequest, file, mode,
                options.Select(o => new KeyValuePair<string, string>(o.Item1.ToLowerInvariant(), o.Item2)).ToList());
            var buffer = new byte[2048];
            int n = TftpPacket.WriteRequest(buffer, request);

            Assert.Equal(TftpParseError.None, TftpPacket.TryParseRequest(buffer.AsSpan(0, n), out var back));
            Assert.Equal(request.FileName, back.FileName);
            Assert.Equal(request.Mode, back.Mode);
            Assert.Equal(request.Options, back.Options);
        }, iter: Cases);
    }

    [Fact]
    public void Negotiation_never_exceeds_our_limits_whatever_the_client_asks()
    {
        var names = Gen.OneOf("blksize", "tsize", "timeout", "windowsize", "other");
        var values = Gen.OneOf(Gen.Long.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), Token);
        Gen.Select(names, values).Array[0, 6].Sample(options =>
        {
            var request = new TftpRequest(TftpOpcode.ReadRequest, "f", "octet", options.Select(o => new KeyValuePair<string, string>(o.Item1, o.Item2)).ToList());
            var p = TftpNegotiation.ForRead(request, 1 << 20, new TftpOptions { MaxBlockSize = 1468, MaxWindowSize = 16 });

            Assert.InRange(p.BlockSize, 8, 1468);
            Assert.InRange(p.WindowSize, 1, 16);
            // The default (1 s) or what the client asked, never above the maximum (5 s): a request cannot hold a slot for long.
            Assert.InRange(p.Timeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
            // An acknowledged timeout is the one used (a request may repeat the option: the last one counts).
            if (p.Acknowledged.LastOrDefault(o => o.Key == "timeout") is { Value: { } acknowledged })
            {
                Assert.Equal(TimeSpan.FromSeconds(long.Parse(acknowledged, System.Globalization.CultureInfo.InvariantCulture)), p.Timeout);
            }
        }, iter: Cases);
    }
}
