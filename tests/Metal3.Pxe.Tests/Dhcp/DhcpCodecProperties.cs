using System.Net;
using CsCheck;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Dhcp.Golden;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>Property tests: hostile input never throws out of the codec, and what we write we read back.</summary>
public class DhcpCodecProperties
{
    private const long Cases = 100_000;

    private static readonly byte[][] Golden = [.. GoldenPackets.Names.Select(GoldenPackets.Load)];

    [Fact]
    public void Random_datagrams_never_throw()
    {
        Gen.Byte.Array[0, 700].Sample(bytes =>
        {
            DhcpCodec.PeekMessageType(bytes);
            var error = DhcpCodec.TryParse(bytes, out var m);
            if (error == DhcpParseError.None)
            {
                Touch(m);
            }
        }, iter: Cases);
    }

    [Fact]
    public void Random_options_after_a_valid_header_never_throw()
    {
        // Random bytes alone rarely get past the magic cookie; this puts them where the option parser sees them.
        Gen.Byte.Array[0, 400].Sample(options =>
        {
            var datagram = DhcpCodecTests.Header(options);
            var peeked = DhcpCodec.PeekMessageType(datagram);
            if (DhcpCodec.TryParse(datagram, out var m) == DhcpParseError.None)
            {
                Touch(m);
                // The shortcut the busy server uses never names a type the parser would not find.
                Assert.True(peeked is null || peeked == m.MessageType);
            }
        }, iter: Cases);
    }

    [Fact]
    public void Mutated_real_packets_never_throw_and_rewrite_cleanly_when_accepted()
    {
        var gen = Gen.Select(Gen.Int[0, Golden.Length - 1], Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[1, 8], Gen.Int[0, 40]);
        gen.Sample((index, flips, cut) =>
        {
            var bytes = (byte[])Golden[index].Clone();
            foreach (var (at, value) in flips)
            {
                bytes[DhcpCodec.CookieOffset + 4 + (at % (bytes.Length - DhcpCodec.OptionsOffset))] = value;
            }
            var datagram = bytes.AsSpan(0, bytes.Length - cut);
            if (DhcpCodec.TryParse(datagram, out var m) == DhcpParseError.None)
            {
                Touch(m);
                var buffer = new byte[DhcpCodec.EncodedLength(m) + 300];
                Assert.True(DhcpCodec.Write(m, buffer) > 0);
            }
        }, iter: Cases);
    }

    private static readonly Gen<DhcpOptionValue> OptionGen =
        Gen.Select(Gen.Byte[1, 254].Where(c => c != (byte)DhcpOption.OptionOverload), Gen.Byte.Array[0, 600],
            (code, data) => new DhcpOptionValue((DhcpOption)code, data));

    private static readonly Gen<DhcpMessage> MessageGen =
        Gen.Select(Gen.UInt, Gen.UShort, Gen.UInt, Gen.Byte.Array[16], OptionGen.Array[0, 6], (xid, flags, yiaddr, chaddr, options) => new DhcpMessage
        {
            Op = BootpOp.BootReply,
            TransactionId = xid,
            Flags = flags,
            YourAddress = new IPAddress(yiaddr),
            ClientHardwareAddress = chaddr,
            // One instance per code: RFC 3396 concatenation makes repeated codes one option on the way back.
            Options = options.DistinctBy(o => o.Code).ToList(),
        });

    [Fact]
    public void Any_message_we_write_is_read_back_the_same()
    {
        MessageGen.Sample(message =>
        {
            var buffer = new byte[DhcpCodec.EncodedLength(message) + 300];
            int n = DhcpCodec.Write(message, buffer);

            Assert.Equal(DhcpParseError.None, DhcpCodec.TryParse(buffer.AsSpan(0, n), out var back));
            Assert.Equal(message.TransactionId, back.TransactionId);
            Assert.Equal(message.Flags, back.Flags);
            Assert.Equal(message.YourAddress, back.YourAddress);
            Assert.Equal(message.ClientHardwareAddress, back.ClientHardwareAddress);
            Assert.Equal(message.Options, back.Options);
        }, iter: Cases);
    }

    private static void Touch(DhcpMessage m)
    {
        // Every accessor the server uses must also cope with whatever got through.
        _ = (m.MessageType, m.Mac, m.VendorClass, m.UserClasses, m.ClientArchitectures, m.MaxMessageSize, m.ClientKey,
             m.RequestedAddress, m.ServerIdentifier, BootDecision.Classify(m),
             DhcpValues.ParseSubOptions(m.Find(DhcpOption.Ipxe)), DhcpValues.ParseMachineId(m.Find(DhcpOption.ClientMachineId)));
    }
}
