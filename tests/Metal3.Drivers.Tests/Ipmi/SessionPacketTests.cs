using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Drivers.Ipmi.Commands;
using Metal3.Drivers.Ipmi.Crypto;
using Metal3.Drivers.Ipmi.Messages;
using Metal3.Drivers.Ipmi.Rmcp;

namespace Metal3.Drivers.Tests.Ipmi;

/// <summary>
/// Signed and encrypted session packets: keys derived from the captured handshake check and decrypt what ipmitool
/// and ipmi_sim really exchanged, and a tampered or replayed packet is refused.
/// </summary>
public sealed class SessionPacketTests
{
    private static SessionKeys CapturedKeys(string session) =>
        RakpCodecTests.CapturedInputs(session, "password"u8.ToArray(), out _).DeriveSessionKeys();

    private static IpmiResponse Response(string session, string name)
    {
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(Golden.Hex(name), CapturedKeys(session), out var packet));
        Assert.True(packet!.Encrypted && packet.Authenticated);
        Assert.True(IpmiLanMessage.TryParseResponse(packet.Payload, out var response, out string error), error);
        return response!;
    }

    [Fact]
    public void Captured_get_chassis_status_response_decrypts_to_power_on()
    {
        IpmiResponse response = Response("power-status", "power-status-20-get-chassis-status-response");

        Assert.Equal((NetFn.Chassis, Command.GetChassisStatus), (response.NetFn, response.Command));
        Assert.True(ChassisCodec.TryParseStatus(response.Data, out PowerState power, out _));
        Assert.Equal(PowerState.On, power); // ipmitool printed "Chassis Power is on" for this capture
    }

    [Fact]
    public void Captured_set_session_privilege_request_decrypts_to_administrator()
    {
        Assert.Equal(PacketError.None,
            SessionPacketCodec.TryParse(Golden.Hex("power-status-09-set-session-privilege-request"), CapturedKeys("power-status"), out var packet));

        Assert.Equal(IpmiLanMessage.WriteRequest(NetFn.App, Command.SetSessionPrivilegeLevel, 1, [0x04]), packet!.Payload);
        Assert.Equal(3u, packet.SequenceNumber); // ipmitool's outbound sequence after the handshake
    }

    [Fact]
    public void Captured_ipmitool_bootdev_pxe_efiboot_request_carries_the_same_boot_flags_we_send()
    {
        Assert.Equal(PacketError.None,
            SessionPacketCodec.TryParse(Golden.Hex("bootdev-23-set-boot-flags-pxe-efi-request"), CapturedKeys("bootdev"), out var packet));
        byte[] data = packet!.Payload[6..^1];

        Assert.Equal(BootOptionsCodec.SetBootFlagsRequest(new BootOverride(BootDevice.Pxe, BootMode.Uefi, false)), data);
    }

    [Fact]
    public void Our_secure_packet_round_trips_through_our_parser()
    {
        SessionKeys keys = CapturedKeys("power-status");
        byte[] message = IpmiLanMessage.WriteRequest(NetFn.Chassis, Command.GetChassisStatus, 9, []);

        byte[] packet = SessionPacketCodec.WriteV20Secure(keys, PayloadType.Ipmi, 0x0304, 42, message, new byte[16]);

        Assert.Equal(0, (packet.Length - 4 - keys.Suite.IntegrityLength) % 4);
        Assert.Equal(PacketError.None, SessionPacketCodec.TryParse(packet, keys, out var parsed));
        Assert.Equal((0x0304u, 42u), (parsed!.SessionId, parsed.SequenceNumber));
        Assert.Equal(message, parsed.Payload);
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_a_signed_packet_fails_the_integrity_check()
    {
        SessionKeys keys = CapturedKeys("power-status");
        byte[] original = Golden.Hex("power-status-20-get-chassis-status-response");
        for (int i = 4; i < original.Length; i++)
        {
            byte[] tampered = (byte[])original.Clone();
            tampered[i] ^= 0x10;
            Assert.NotEqual(PacketError.None, SessionPacketCodec.TryParse(tampered, keys, out _));
        }
    }

    [Fact]
    public void A_signed_packet_cannot_be_read_without_session_keys()
    {
        Assert.Equal(PacketError.Unauthenticated,
            SessionPacketCodec.TryParse(Golden.Hex("power-status-20-get-chassis-status-response"), null, out _));
    }
}
