using CsCheck;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rakp;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>Any bytes at all fed to any parser give a message or an error, never an exception (CsCheck, 100,000+ cases each).</summary>
public sealed class ParserPropertyTests
{
    private const long Cases = 100_000;

    private static readonly SessionKeys Keys = new(CipherSuite.Suite3, new byte[20], new byte[16]);

    // Random bytes, and bytes that start like a real IPMI datagram so that the parsers get past the first checks.
    private static readonly Gen<byte[]> Bytes = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Byte, Gen.Byte, (tail, auth, type) =>
            (byte[])[0x06, 0x00, 0xFF, 0x07, (byte)(auth % 2 == 0 ? 0x06 : 0x00), type, .. tail]));

    [Fact]
    public void Session_packet_parser_never_throws_with_or_without_keys() =>
        Bytes.Sample(b =>
        {
            SessionPacketCodec.TryParse(b, null, out _);
            SessionPacketCodec.TryParse(b, Keys, out _);
        }, iter: Cases);

    [Fact]
    public void Lan_message_and_command_parsers_never_throw() =>
        Bytes.Sample(b =>
        {
            IpmiLanMessage.TryParseResponse(b, out _, out _);
            ChannelCommands.TryParseAuthCapabilities(b, out _, out _);
            ChannelCommands.TryParseCipherSuitesBlock(b, out _, out _);
            ChannelCommands.CipherSuiteIds(b);
            ChassisCodec.TryParseStatus(b, out _, out _);
            BootOptionsCodec.TryParseBootFlags(b, out _, out _);
            DeviceIdCodec.TryParse(b, out _, out _);
        }, iter: Cases);

    [Fact]
    public void Handshake_parsers_never_throw() =>
        Bytes.Sample(b =>
        {
            OpenSessionCodec.TryParseResponse(b, out _, out _);
            RakpCodec.TryParseRakp2(b, 20, out _, out _);
            RakpCodec.TryParseRakp2(b, 32, out _, out _);
            RakpCodec.TryParseRakp4(b, 12, out _, out _);
            RakpCodec.TryParseRakp4(b, 16, out _, out _);
            AsfPing.TryParsePong(b, out _, out _, out _);
            AesCbc128.TryDecrypt(Keys.AesKey, b, out _, out _);
        }, iter: Cases);

    [Fact]
    public void Oversized_datagrams_are_refused_before_parsing() =>
        Assert.Equal(PacketError.Oversized, SessionPacketCodec.TryParse(new byte[SessionPacketCodec.MaxDatagram + 1], null, out _));
}
