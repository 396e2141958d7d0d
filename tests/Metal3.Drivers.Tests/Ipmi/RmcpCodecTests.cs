using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>The RMCP header, the session-less IPMI v1.5 wrapper and LAN messages, against ipmitool/ipmi_sim captures.</summary>
public sealed class RmcpCodecTests
{
    [Fact]
    public void Get_channel_auth_capabilities_request_is_byte_for_byte_what_ipmitool_sends()
    {
        // ipmitool asks for ADMINISTRATOR (04) on channel 0E with the v2.0 bit, request sequence 0
        byte[] message = IpmiLanMessage.WriteRequest(NetFn.App, Command.GetChannelAuthenticationCapabilities, 0,
            ChannelCommands.AuthCapabilitiesRequest(0x04));

        Assert.Equal(Golden.Hex("power-status-01-get-channel-auth-caps-request"), SessionPacketCodec.WriteV15SessionLess(message));
    }

    [Fact]
    public void Get_channel_auth_capabilities_response_from_ipmi_sim_says_ipmi_v2_is_supported()
    {
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(Golden.Hex("power-status-02-get-channel-auth-caps-response"), null, out var packet));
        Assert.False(packet!.IsV20);
        Assert.True(IpmiLanMessage.TryParseResponse(packet.Payload, out var response, out _));
        Assert.Equal((NetFn.App, Command.GetChannelAuthenticationCapabilities, (byte)0), (response!.NetFn, response.Command, response.CompletionCode));
        Assert.True(ChannelCommands.TryParseAuthCapabilities(response.Data, out var caps, out _));
        Assert.True(caps!.SupportsIpmiV20);
        Assert.Equal(1, caps.Channel);
    }

    [Theory]
    [InlineData(new byte[] { 0x20, 0x18 }, 0xC8)] // first checksum of every request to the BMC from the App netFn
    [InlineData(new byte[] { 0x81, 0x00, 0x38, 0x8E, 0x04 }, 0xB5)] // second checksum of the captured request
    [InlineData(new byte[] { }, 0x00)] // empty sum
    public void Checksum_is_the_twos_complement_of_the_byte_sum(byte[] bytes, byte expected) =>
        Assert.Equal(expected, IpmiLanMessage.Checksum(bytes));

    [Fact]
    public void A_response_with_a_bad_checksum_is_rejected()
    {
        byte[] message = Golden.Hex("power-status-02-get-channel-auth-caps-response")[14..];
        message[^1] ^= 0x01;

        Assert.False(IpmiLanMessage.TryParseResponse(message, out _, out string error));
        Assert.Contains("checksum", error);
    }

    [Fact]
    public void Asf_ping_has_the_asf_iana_and_type_and_a_pong_is_understood()
    {
        var ping = new byte[AsfPing.PingLength];
        AsfPing.WritePing(ping, tag: 7);
        Assert.Equal(Convert.FromHexString("06000006000011BE80070000"), ping);

        byte[] pong = Convert.FromHexString("06000006000011BE40070010000011BE000000008100000000000000");
        Assert.True(AsfPing.TryParsePong(pong, out byte tag, out bool ipmi, out _));
        Assert.Equal((7, true), (tag, ipmi));
    }

    [Fact]
    public void Cipher_suite_records_are_read_as_ipmi_sim_and_pyghmi_send_them()
    {
        // pyghmi's fixed answer: one standard record, suite 3 (RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128)
        Assert.Equal([3], ChannelCommands.CipherSuiteIds(Convert.FromHexString("C003014181")));
        // a standard suite 17 record, an OEM record (C1, id, IANA x3, algorithms) and a suite 0 record
        Assert.Equal([17, 0], ChannelCommands.CipherSuiteIds(Convert.FromHexString("C011034481C1AA0102030141C000004080")));
    }
}
