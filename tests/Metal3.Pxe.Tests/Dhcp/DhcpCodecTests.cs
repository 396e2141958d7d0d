using System.Net;
using Metal3.Pxe.Dhcp;
using Metal3.Pxe.Tests.Dhcp.Golden;

namespace Metal3.Pxe.Tests.Dhcp;

public class DhcpCodecTests
{
    public static TheoryData<string> AllGolden() => [.. GoldenPackets.Names];

    [Theory]
    [MemberData(nameof(AllGolden))]
    public void Every_captured_packet_parses(string name)
    {
        var bytes = GoldenPackets.Load(name);

        Assert.Equal(DhcpParseError.None, DhcpCodec.TryParse(bytes, out var message));
        Assert.NotEqual(DhcpMessageType.None, message.MessageType);
        Assert.StartsWith("52:54:00:00:00:", message.Mac);
    }

    [Theory]
    [MemberData(nameof(AllGolden))]
    public void Every_captured_packet_is_written_back_byte_for_byte(string name)
    {
        // All these clients write options once each, in order, then End and zero padding: the canonical form.
        var bytes = GoldenPackets.Load(name);
        DhcpCodec.TryParse(bytes, out var message);

        var written = new byte[bytes.Length];
        int n = DhcpCodec.Write(message, written, minimumLength: bytes.Length);

        Assert.Equal(bytes.Length, n);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(written));
    }

    [Fact]
    public void The_ipxe_bios_rom_sends_arch_0_user_class_as_raw_text_and_option_175()
    {
        DhcpCodec.TryParse(GoldenPackets.Load("ipxe-bios-discover"), out var m);

        Assert.Equal(DhcpMessageType.Discover, m.MessageType);
        Assert.Equal([ClientArch.X86Bios], m.ClientArchitectures);
        Assert.Equal("PXEClient:Arch:00000:UNDI:002001", m.VendorClass);
        Assert.Equal(["iPXE"], m.UserClasses);                 // not RFC 3004 length-prefixed (docs/lab.md)
        Assert.Equal([0x69, 0x50, 0x58, 0x45], m.Find(DhcpOption.UserClass));
        Assert.Equal(1472, m.MaxMessageSize);
        Assert.False(m.Broadcast);
        Assert.Equal(Guid.Parse("11111111-2222-3333-4444-555555555555"), DhcpValues.ParseMachineId(m.Find(DhcpOption.ClientMachineId)));
        Assert.Equal(((byte)1, (byte)2, (byte)1), DhcpValues.ParseNetworkInterfaceId(m.Find(DhcpOption.ClientNetworkInterfaceId)));
        var ipxe = DhcpValues.ParseSubOptions(m.Find(DhcpOption.Ipxe));
        Assert.NotNull(ipxe);
        Assert.Contains(ipxe, o => o.Code == 0xb1 && o.Data.SequenceEqual(new byte[] { 0x01, 0x1a, 0xf4, 0x10, 0x00 })); // bus id: PCI 1af4:1000
        Assert.Contains(ipxe, o => o.Code == 0x13);            // HTTP feature
        Assert.Equal(BootClient.Ipxe, BootDecision.Classify(m));
    }

    [Fact]
    public void Ovmf_native_pxe_asks_for_broadcast_replies_and_sends_arch_7_without_user_class()
    {
        DhcpCodec.TryParse(GoldenPackets.Load("ovmf-pxe-discover"), out var m);

        Assert.True(m.Broadcast);
        Assert.Equal([ClientArch.EfiBc], m.ClientArchitectures);
        Assert.Equal("PXEClient:Arch:00007:UNDI:003000", m.VendorClass);
        Assert.Empty(m.UserClasses);
        Assert.Equal(BootClient.EfiX64Pxe, BootDecision.Classify(m));
    }

    [Fact]
    public void Ovmf_request_carries_a_max_message_size_of_65280()
    {
        DhcpCodec.TryParse(GoldenPackets.Load("ovmf-pxe-request"), out var m);

        Assert.Equal(DhcpMessageType.Request, m.MessageType);
        Assert.Equal(65280, m.MaxMessageSize);
        Assert.Equal(IPAddress.Parse("198.18.0.152"), m.RequestedAddress);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), m.ServerIdentifier);
    }

    [Fact]
    public void Udhcpc_is_not_a_network_boot_client()
    {
        DhcpCodec.TryParse(GoldenPackets.Load("udhcpc-discover"), out var m);

        Assert.Equal("udhcp 1.35.0", m.VendorClass);
        Assert.Equal(BootClient.None, BootDecision.Classify(m));
        Assert.Equal([1, 0x52, 0x54, 0, 0, 0, 0x31], m.ClientKey);
    }

    [Fact]
    public void A_dnsmasq_offer_to_a_pxe_client_has_the_boot_file_in_option_67_and_an_empty_file_field()
    {
        DhcpCodec.TryParse(GoldenPackets.Load("ipxe-bios-dnsmasq-offer"), out var m);
        DhcpCodec.TryParse(GoldenPackets.Load("udhcpc-dnsmasq-offer"), out var plain);

        Assert.Equal(BootpOp.BootReply, m.Op);
        Assert.Equal(DhcpMessageType.Offer, m.MessageType);
        Assert.Equal(IPAddress.Parse("198.18.0.150"), m.YourAddress);
        Assert.Equal("", m.BootFile);
        Assert.Equal("undionly.kpxe", plain.BootFile);          // to a non-PXE client dnsmasq uses the BOOTP field instead
        Assert.Equal("undionly.kpxe\0"u8.ToArray(), m.Find(DhcpOption.BootFileName));
    }

    [Theory]
    [MemberData(nameof(AllGolden))]
    public void Peeking_at_a_captured_packet_finds_the_type_a_full_parse_finds(string name)
    {
        var bytes = GoldenPackets.Load(name);
        DhcpCodec.TryParse(bytes, out var message);

        var peeked = DhcpCodec.PeekMessageType(bytes);

        Assert.Equal(message.Op == BootpOp.BootRequest ? message.MessageType : null, peeked);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 53, 1, 3, 255 }, DhcpMessageType.Request)]     // pads before it
    [InlineData(new byte[] { 12, 2, 0x61, 0x62, 53, 1, 1 }, DhcpMessageType.Discover)]   // after another option, no End
    [InlineData(new byte[] { 12, 200, 0x61, 53, 1, 1 }, null)]                      // an option running past the end
    [InlineData(new byte[] { 53, 2, 1, 1, 255 }, null)]                              // option 53 of the wrong length
    [InlineData(new byte[] { 255, 53, 1, 1 }, null)]                                 // after End
    [InlineData(new byte[] { 53 }, null)]                                            // cut inside the option
    public void Peeking_reads_option_53_of_the_options_field_and_nothing_malformed(byte[] options, DhcpMessageType? expected)
    {
        Assert.Equal(expected, DhcpCodec.PeekMessageType(Header(options)));
    }

    [Fact]
    public void Peeking_ignores_replies_short_datagrams_and_wrong_cookies()
    {
        var reply = Header([53, 1, 2, 255]);
        reply[DhcpCodec.OpOffset] = (byte)BootpOp.BootReply;
        var cookie = Header([53, 1, 1, 255]);
        cookie[DhcpCodec.CookieOffset] = 0;

        Assert.Null(DhcpCodec.PeekMessageType(reply));
        Assert.Null(DhcpCodec.PeekMessageType(cookie));
        Assert.Null(DhcpCodec.PeekMessageType(new byte[DhcpCodec.OptionsOffset - 1]));
    }

    [Theory]
    // Fewer than 236 + 4 bytes: not even the fixed header and cookie.
    [InlineData("0101060000", DhcpParseError.TooShort)]
    public void Short_input_is_a_value_not_an_exception(string hex, DhcpParseError expected)
    {
        Assert.Equal(expected, DhcpCodec.TryParse(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void A_wrong_magic_cookie_is_reported()
    {
        var bytes = GoldenPackets.Load("udhcpc-discover");
        bytes[DhcpCodec.CookieOffset] = 0x64;

        Assert.Equal(DhcpParseError.BadMagicCookie, DhcpCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void An_op_other_than_request_or_reply_is_reported()
    {
        var bytes = GoldenPackets.Load("udhcpc-discover");
        bytes[DhcpCodec.OpOffset] = 3;

        Assert.Equal(DhcpParseError.BadOp, DhcpCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void A_hardware_length_over_16_is_reported()
    {
        var bytes = GoldenPackets.Load("udhcpc-discover");
        bytes[DhcpCodec.HlenOffset] = 17;

        Assert.Equal(DhcpParseError.BadHardwareLength, DhcpCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void An_option_running_past_the_end_is_reported()
    {
        var bytes = Header([53, 1, 1, 12, 200, 0x41]);

        Assert.Equal(DhcpParseError.TruncatedOption, DhcpCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void A_message_without_end_option_is_accepted_up_to_the_end_of_the_datagram()
    {
        Assert.Equal(DhcpParseError.None, DhcpCodec.TryParse(Header([53, 1, 1]), out var m));
        Assert.Equal(DhcpMessageType.Discover, m.MessageType);
    }

    [Fact]
    public void Options_in_the_overloaded_file_and_sname_fields_are_read_after_the_options_field()
    {
        // RFC 2132 §9.3 value 3: both fields carry options; RFC 3396 §5 order: options, file, sname.
        var bytes = Header([53, 1, 3, 52, 1, 3, 12, 2, (byte)'a', (byte)'b', 255]);
        new byte[] { 12, 2, (byte)'c', (byte)'d', 61, 2, 1, 2, 255 }.CopyTo(bytes, DhcpCodec.FileOffset);
        new byte[] { 12, 1, (byte)'e', 255 }.CopyTo(bytes, DhcpCodec.SnameOffset);

        Assert.Equal(DhcpParseError.None, DhcpCodec.TryParse(bytes, out var m));

        Assert.Equal("abcde"u8.ToArray(), m.Find(DhcpOption.HostName));
        Assert.Equal([1, 2], m.Find(DhcpOption.ClientIdentifier));
        Assert.Equal("", m.BootFile);
        Assert.Equal("", m.ServerName);
    }

    [Fact]
    public void Option_52_inside_an_overloaded_field_is_refused()
    {
        var bytes = Header([52, 1, 1, 255]);
        new byte[] { 52, 1, 2, 255 }.CopyTo(bytes, DhcpCodec.FileOffset);

        Assert.Equal(DhcpParseError.BadOverload, DhcpCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void An_overload_value_outside_1_to_3_is_refused()
    {
        Assert.Equal(DhcpParseError.BadOverload, DhcpCodec.TryParse(Header([52, 1, 4, 255]), out _));
    }

    [Fact]
    public void A_value_longer_than_255_bytes_is_written_as_several_options_and_read_back_as_one()
    {
        // RFC 3396 §6: split into consecutive instances of the same code.
        var value = Enumerable.Range(0, 600).Select(i => (byte)i).ToArray();
        var message = new DhcpMessage
        {
            Op = BootpOp.BootReply,
            TransactionId = 42,
            Options = [new(DhcpOption.MessageType, [2]), new(DhcpOption.VendorSpecific, value)],
        };
        var buffer = new byte[1500];

        int n = DhcpCodec.Write(message, buffer);

        Assert.Equal(DhcpCodec.OptionsOffset + 3 + (3 * 2) + 600 + 1, n);
        Assert.Equal([43, 255], buffer[(DhcpCodec.OptionsOffset + 3)..(DhcpCodec.OptionsOffset + 5)]);
        Assert.Equal(DhcpParseError.None, DhcpCodec.TryParse(buffer.AsSpan(0, n), out var back));
        Assert.Equal(value, back.Find(DhcpOption.VendorSpecific));
    }

    [Fact]
    public void Writing_into_a_buffer_that_is_too_small_returns_minus_one()
    {
        var message = new DhcpMessage { Op = BootpOp.BootReply };

        Assert.Equal(-1, DhcpCodec.Write(message, new byte[299]));
    }

    [Fact]
    public void Replies_are_padded_to_the_300_bytes_bootp_relays_expect()
    {
        var message = new DhcpMessage { Op = BootpOp.BootReply, Options = [new(DhcpOption.MessageType, [5])] };

        Assert.Equal(300, DhcpCodec.Write(message, new byte[576]));
    }

    [Theory]
    // RFC 3004 form: length-prefixed instances.
    [InlineData("0469505845", new[] { "iPXE" })]
    [InlineData("03616263026465", new[] { "abc", "de" })]
    // iPXE's raw text: 'i' = 0x69 = 105 cannot be a length here.
    [InlineData("69505845", new[] { "iPXE" })]
    // A zero length is not RFC 3004 either: taken as text.
    [InlineData("00", new[] { "\0" })]
    public void User_class_accepts_rfc_3004_and_the_raw_text_ipxe_sends(string hex, string[] expected)
    {
        Assert.Equal(expected, DhcpValues.ParseUserClass(Convert.FromHexString(hex)));
    }

    [Fact]
    public void User_class_is_encoded_length_prefixed()
    {
        Assert.Equal(Convert.FromHexString("0469505845"), DhcpValues.EncodeUserClass(["iPXE"]));
    }

    [Fact]
    public void Relay_agent_information_sub_options_are_parsed()
    {
        // RFC 3046 §2.0: sub-option 1 circuit id, 2 remote id.
        var subs = DhcpValues.ParseSubOptions(Convert.FromHexString("0103657468020401020304"));

        Assert.NotNull(subs);
        Assert.Equal(2, subs.Count);
        Assert.Equal("eth"u8.ToArray(), subs[0].Data);
        Assert.Null(DhcpValues.ParseSubOptions(Convert.FromHexString("0105657468")));
    }

    /// <summary>A BOOTREQUEST header with the cookie, followed by <paramref name="options"/>.</summary>
    internal static byte[] Header(byte[] options)
    {
        var bytes = new byte[DhcpCodec.OptionsOffset + options.Length];
        bytes[DhcpCodec.OpOffset] = 1;
        bytes[DhcpCodec.HtypeOffset] = 1;
        bytes[DhcpCodec.HlenOffset] = 6;
        bytes[DhcpCodec.CookieOffset] = 99;
        bytes[DhcpCodec.CookieOffset + 1] = 130;
        bytes[DhcpCodec.CookieOffset + 2] = 83;
        bytes[DhcpCodec.CookieOffset + 3] = 99;
        options.CopyTo(bytes, DhcpCodec.OptionsOffset);
        return bytes;
    }
}
