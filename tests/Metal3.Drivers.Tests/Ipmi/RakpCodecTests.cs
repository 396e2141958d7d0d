using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Rakp;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>
/// Open Session and RAKP 1-4 against a captured ipmitool ↔ ipmi_sim handshake (cipher suite 3, user admin, password
/// "password"): our writers reproduce ipmitool's bytes, and our HMACs reproduce both ends' auth codes.
/// </summary>
public sealed class RakpCodecTests
{
    private static byte[] Payload(string name)
    {
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(Golden.Hex(name), null, out var packet));
        return packet!.Payload;
    }

    [Fact]
    public void Open_session_request_is_byte_for_byte_what_ipmitool_sends_for_suite_3()
    {
        byte[] payload = OpenSessionCodec.WriteRequest(tag: 0, maxPrivilege: 0, consoleSessionId: 0xA0A2A3A4, CipherSuite.Suite3);

        Assert.Equal(Golden.Hex("power-status-03-open-session-request"),
            SessionPacketCodec.WriteV20Plain(PayloadType.OpenSessionRequest, 0, 0, payload));
    }

    [Fact]
    public void Open_session_response_from_ipmi_sim_is_accepted_whatever_its_privilege_byte()
    {
        Assert.True(OpenSessionCodec.TryParseResponse(Payload("power-status-04-open-session-response"), out var open, out _));

        Assert.Equal(0, open!.Status);
        Assert.Equal(0xA0A2A3A4u, open.ConsoleSessionId);
        Assert.Equal(0x0304u, open.ManagedSessionId);
        Assert.Same(CipherSuite.Suite3, CipherSuite.Find(open.Auth, open.Integrity, open.Confidentiality));
    }

    [Fact]
    public void Rakp1_is_byte_for_byte_what_ipmitool_sends()
    {
        byte[] captured = Payload("power-status-05-rakp1");
        byte[] rm = captured[8..24];

        byte[] ours = RakpCodec.WriteRakp1(0, 0x0304, rm, 0x14, "admin"u8);

        Assert.Equal(Golden.Hex("power-status-05-rakp1"), SessionPacketCodec.WriteV20Plain(PayloadType.Rakp1, 0, 0, ours));
    }

    [Fact]
    public void Captured_handshake_verifies_with_the_right_password_and_our_rakp3_and_rakp4_match_the_wire()
    {
        RakpInputs inputs = CapturedInputs("power-status", "password"u8.ToArray(), out Rakp2 rakp2);

        Assert.Equal(rakp2.AuthCode, inputs.Rakp2AuthCode());
        byte[] rakp3 = RakpCodec.WriteRakp3(0, 0, 0x0304, inputs.Rakp3AuthCode());
        Assert.Equal(Payload("power-status-07-rakp3"), rakp3);
        Assert.True(RakpCodec.TryParseRakp4(Payload("power-status-08-rakp4"), 12, out var rakp4, out _));
        Assert.Equal(rakp4!.IntegrityCheckValue, inputs.Rakp4Icv(inputs.SessionIntegrityKey()));
    }

    [Fact]
    public void Captured_rakp2_does_not_verify_with_a_wrong_password()
    {
        // ipmitool was run with -P wrongpass: ipmi_sim still answers RAKP 2 (status 0), signed with the real password.
        RakpInputs inputs = CapturedInputs("wrong-password", "wrongpass"u8.ToArray(), out Rakp2 rakp2);

        Assert.Equal(0, rakp2.Status);
        Assert.NotEqual(rakp2.AuthCode, inputs.Rakp2AuthCode());
    }

    [Fact]
    public void A_rakp2_with_an_error_status_may_be_only_eight_bytes_long()
    {
        Assert.True(RakpCodec.TryParseRakp2(Convert.FromHexString("000D0000A4A3A2A0"), 20, out var r, out _));
        Assert.Equal(0x0D, r!.Status); // unauthorized name
    }

    [Fact]
    public void Ipmi_sims_two_byte_open_session_refusal_of_suite_17_is_understood()
    {
        // ipmi_sim's whole answer to an Open Session Request for suite 17: tag 07, status 04 (invalid authentication
        // algorithm), nothing more (the spec says at least 8 bytes).
        byte[] datagram = Convert.FromHexString("0600ff070611000000000000000002000704");
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(datagram, null, out var packet));

        Assert.True(OpenSessionCodec.TryParseResponse(packet!.Payload, out var open, out _));
        Assert.Equal((7, 0x04), (open!.Tag, open.Status));
    }

    internal static RakpInputs CapturedInputs(string session, byte[] password, out Rakp2 rakp2)
    {
        Assert.True(OpenSessionCodec.TryParseResponse(Payload($"{session}-04-open-session-response"), out var open, out _));
        byte[] rakp1 = Payload($"{session}-05-rakp1");
        Assert.True(RakpCodec.TryParseRakp2(Payload($"{session}-06-rakp2"), 20, out var r2, out _));
        rakp2 = r2!;
        return new RakpInputs(CipherSuite.Suite3, password,
            BitConverter.GetBytes(open!.ConsoleSessionId), BitConverter.GetBytes(open.ManagedSessionId),
            rakp1[8..24], rakp2.ManagedRandom, rakp2.ManagedGuid, rakp1[24], rakp1[28..]);
    }
}
