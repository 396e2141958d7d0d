using System.Net;
using Metal3.Core.Provisioning;
using Metal3.Pxe.Dhcp;
using Microsoft.Extensions.Time.Testing;

namespace Metal3.Pxe.Tests.Dhcp;

/// <summary>The RFC 2131 conversation, one exchange at a time, without sockets.</summary>
public class DhcpResponderTests
{
    private static readonly IPAddress Server = IPAddress.Parse("198.18.0.1");
    private static readonly IPEndPoint FromClient = new(IPAddress.Any, 68);
    private const string Known = "52:54:00:aa:00:01";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly InMemoryDhcpLeaseStore _leases;

    public DhcpResponderTests() => _leases = new InMemoryDhcpLeaseStore(_time);

    private DhcpResponder Responder(DhcpMode mode = DhcpMode.Full, bool discovery = false) =>
        new(DhcpLab.Options(mode, discovery), Server, new Uri("http://198.18.0.1:8080"),
            new StaticBootHostLookup(new Dictionary<string, BootHost> { [Known] = new("worker-0", ProvisioningState.Inspecting, false) }), _leases);

    private static DhcpMessage Message(DhcpMessageType type, string mac = "52:54:00:cc:00:01", IPAddress? requested = null, IPAddress? server = null,
        IPAddress? ciaddr = null, IPAddress? giaddr = null, string? vendorClass = null, byte[]? relayInfo = null)
    {
        var options = new List<DhcpOptionValue> { new(DhcpOption.MessageType, [(byte)type]) };
        if (requested is not null)
        {
            options.Add(new(DhcpOption.RequestedIpAddress, requested.GetAddressBytes()));
        }
        if (server is not null)
        {
            options.Add(new(DhcpOption.ServerIdentifier, server.GetAddressBytes()));
        }
        if (vendorClass is not null)
        {
            options.Add(new(DhcpOption.VendorClassId, DhcpValues.Text(vendorClass)));
        }
        if (relayInfo is not null)
        {
            options.Add(new(DhcpOption.RelayAgentInformation, relayInfo));
        }
        var chaddr = new byte[16];
        Convert.FromHexString(mac.Replace(":", "")).CopyTo(chaddr, 0);
        return new DhcpMessage
        {
            Op = BootpOp.BootRequest,
            TransactionId = 0x1234,
            ClientHardwareAddress = chaddr,
            ClientAddress = ciaddr ?? IPAddress.Any,
            RelayAgent = giaddr ?? IPAddress.Any,
            Options = options,
        };
    }

    private async Task<IPAddress> Bind(DhcpResponder responder, string mac)
    {
        var offer = await responder.RespondAsync(Message(DhcpMessageType.Discover, mac), 67, FromClient, default);
        var ack = await responder.RespondAsync(Message(DhcpMessageType.Request, mac, offer!.Message.YourAddress, Server), 67, FromClient, default);
        Assert.Equal(DhcpMessageType.Ack, ack!.Message.MessageType);
        return ack.Message.YourAddress;
    }

    [Fact]
    public async Task A_discover_gets_an_offer_from_the_pool_with_the_lease_times()
    {
        var offer = await Responder().RespondAsync(Message(DhcpMessageType.Discover), 67, FromClient, default);

        Assert.Equal(DhcpMessageType.Offer, offer!.Message.MessageType);
        Assert.Equal(IPAddress.Parse("198.18.0.100"), offer.Message.YourAddress);
        Assert.Equal(DhcpValues.UInt32(600), offer.Message.Find(DhcpOption.LeaseTime));
        Assert.Equal(DhcpValues.UInt32(300), offer.Message.Find(DhcpOption.RenewalTime));
        Assert.Equal(DhcpValues.UInt32(525), offer.Message.Find(DhcpOption.RebindingTime));
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 68), offer.Destination);
    }

    [Fact]
    public async Task A_retransmitted_discover_is_offered_the_same_address()
    {
        var responder = Responder();
        var first = await responder.RespondAsync(Message(DhcpMessageType.Discover), 67, FromClient, default);
        var second = await responder.RespondAsync(Message(DhcpMessageType.Discover), 67, FromClient, default);

        Assert.Equal(first!.Message.YourAddress, second!.Message.YourAddress);
    }

    [Fact]
    public async Task A_request_for_an_address_another_client_holds_is_naked()
    {
        var responder = Responder();
        var taken = await Bind(responder, "52:54:00:cc:00:01");

        var nak = await responder.RespondAsync(Message(DhcpMessageType.Request, "52:54:00:cc:00:02", taken), 67, FromClient, default);

        Assert.Equal(DhcpMessageType.Nak, nak!.Message.MessageType);
        Assert.Equal(new IPEndPoint(IPAddress.Broadcast, 68), nak.Destination);
    }

    [Fact]
    public async Task A_request_outside_the_pool_is_naked()
    {
        var nak = await Responder().RespondAsync(Message(DhcpMessageType.Request, requested: IPAddress.Parse("10.0.0.5")), 67, FromClient, default);

        Assert.Equal(DhcpMessageType.Nak, nak!.Message.MessageType);
    }

    [Fact]
    public async Task Choosing_another_servers_offer_frees_ours_silently()
    {
        var responder = Responder();
        var offer = await responder.RespondAsync(Message(DhcpMessageType.Discover), 67, FromClient, default);

        var reply = await responder.RespondAsync(Message(DhcpMessageType.Request, requested: offer!.Message.YourAddress, server: IPAddress.Parse("198.18.0.2")), 67, FromClient, default);

        Assert.Null(reply);
        Assert.Empty(_leases.Snapshot());
    }

    [Fact]
    public async Task A_renewal_is_acked_by_unicast_to_the_clients_address()
    {
        var responder = Responder();
        var address = await Bind(responder, "52:54:00:cc:00:01");

        var ack = await responder.RespondAsync(Message(DhcpMessageType.Request, ciaddr: address), 67, new IPEndPoint(address, 68), default);

        Assert.Equal(DhcpMessageType.Ack, ack!.Message.MessageType);
        Assert.Equal(new IPEndPoint(address, 68), ack.Destination);
    }

    [Fact]
    public async Task A_declined_address_is_quarantined_and_then_returns_to_the_pool()
    {
        var responder = Responder();
        var declined = await Bind(responder, "52:54:00:cc:00:01");

        Assert.Null(await responder.RespondAsync(Message(DhcpMessageType.Decline, requested: declined, server: Server), 67, FromClient, default));
        var next = await responder.RespondAsync(Message(DhcpMessageType.Discover, "52:54:00:cc:00:02", requested: declined), 67, FromClient, default);
        Assert.NotEqual(declined, next!.Message.YourAddress);

        _time.Advance(TimeSpan.FromSeconds(601));   // DeclineQuarantineSeconds
        var later = await responder.RespondAsync(Message(DhcpMessageType.Discover, "52:54:00:cc:00:03", requested: declined), 67, FromClient, default);
        Assert.Equal(declined, later!.Message.YourAddress);
    }

    [Fact]
    public async Task An_expired_lease_no_longer_holds_its_address()
    {
        var responder = Responder();
        var address = await Bind(responder, "52:54:00:cc:00:01");
        _time.Advance(TimeSpan.FromSeconds(601));

        Assert.Equal(1, await _leases.ExpireAsync(_time.GetUtcNow(), default));
        var offer = await responder.RespondAsync(Message(DhcpMessageType.Discover, "52:54:00:cc:00:02", requested: address), 67, FromClient, default);
        Assert.Equal(address, offer!.Message.YourAddress);
    }

    [Fact]
    public async Task An_inform_gets_configuration_without_an_address_or_lease()
    {
        var client = IPAddress.Parse("198.18.0.77");

        var ack = await Responder().RespondAsync(Message(DhcpMessageType.Inform, ciaddr: client), 67, new IPEndPoint(client, 68), default);

        Assert.Equal(DhcpMessageType.Ack, ack!.Message.MessageType);
        Assert.Equal(IPAddress.Any, ack.Message.YourAddress);
        Assert.Null(ack.Message.Find(DhcpOption.LeaseTime));
        Assert.NotNull(ack.Message.Find(DhcpOption.SubnetMask));
        Assert.Equal(new IPEndPoint(client, 68), ack.Destination);
    }

    [Fact]
    public async Task A_relayed_discover_is_answered_to_the_relay_with_option_82_echoed_last()
    {
        var relay = IPAddress.Parse("198.18.0.254");
        byte[] info = [1, 3, (byte)'s', (byte)'w', (byte)'1', 2, 2, 0xab, 0xcd];

        var offer = await Responder().RespondAsync(Message(DhcpMessageType.Discover, giaddr: relay, relayInfo: info), 67, new IPEndPoint(relay, 67), default);

        Assert.Equal(new IPEndPoint(relay, 67), offer!.Destination);
        Assert.Equal(relay, offer.Message.RelayAgent);
        Assert.Equal(DhcpOption.RelayAgentInformation, offer.Message.Options[^1].Code);
        Assert.Equal(info, offer.Message.Options[^1].Data);
    }

    [Fact]
    public async Task A_relayed_nak_sets_the_broadcast_bit()
    {
        var relay = IPAddress.Parse("198.18.0.254");

        var nak = await Responder().RespondAsync(Message(DhcpMessageType.Request, requested: IPAddress.Parse("10.1.1.1"), giaddr: relay), 67, new IPEndPoint(relay, 67), default);

        Assert.True(nak!.Message.Broadcast);
        Assert.Equal(new IPEndPoint(relay, 67), nak.Destination);
    }

    [Fact]
    public async Task A_request_relayed_from_another_subnet_is_not_ours()
    {
        Assert.Null(await Responder().RespondAsync(Message(DhcpMessageType.Discover, giaddr: IPAddress.Parse("10.9.9.1")), 67, FromClient, default));
    }

    [Fact]
    public async Task A_known_pxe_client_in_full_mode_gets_boot_file_next_server_and_pxeclient()
    {
        var offer = await Responder().RespondAsync(Message(DhcpMessageType.Discover, Known, vendorClass: "PXEClient:Arch:00000:UNDI:002001"), 67, FromClient, default);

        Assert.Equal("undionly.kpxe", offer!.Message.BootFile);
        Assert.Equal(Server, offer.Message.NextServer);
        Assert.Equal("PXEClient"u8.ToArray(), offer.Message.Find(DhcpOption.VendorClassId));
        Assert.Equal("undionly.kpxe"u8.ToArray(), offer.Message.Find(DhcpOption.BootFileName));
    }

    [Fact]
    public async Task Proxy_mode_offers_boot_information_without_an_address_to_known_pxe_clients()
    {
        var offer = await Responder(DhcpMode.Proxy).RespondAsync(Message(DhcpMessageType.Discover, Known, vendorClass: "PXEClient:Arch:00007:UNDI:003000"), 67, FromClient, default);

        Assert.Equal(DhcpMessageType.Offer, offer!.Message.MessageType);
        Assert.Equal(IPAddress.Any, offer.Message.YourAddress);
        Assert.Null(offer.Message.Find(DhcpOption.LeaseTime));
        Assert.Equal("snponly.efi", offer.Message.BootFile);
        Assert.Equal([6, 1, 8, 255], offer.Message.Find(DhcpOption.VendorSpecific));
        Assert.Empty(_leases.Snapshot());
    }

    [Fact]
    public async Task Proxy_mode_ignores_unknown_clients_and_non_pxe_clients()
    {
        var responder = Responder(DhcpMode.Proxy);

        Assert.Null(await responder.RespondAsync(Message(DhcpMessageType.Discover, vendorClass: "PXEClient"), 67, FromClient, default));
        Assert.Null(await responder.RespondAsync(Message(DhcpMessageType.Discover, Known, vendorClass: "udhcp 1.35.0"), 67, FromClient, default));
        Assert.Null(await responder.RespondAsync(Message(DhcpMessageType.Request, Known, vendorClass: "PXEClient"), 67, FromClient, default));
    }

    [Fact]
    public async Task Proxy_mode_acks_a_request_on_port_4011_back_to_the_sender()
    {
        var client = new IPEndPoint(IPAddress.Parse("198.18.0.150"), 68);

        var ack = await Responder(DhcpMode.Proxy).RespondAsync(Message(DhcpMessageType.Request, Known, ciaddr: client.Address, vendorClass: "PXEClient:Arch:00007:UNDI:003000"), 4011, client, default);

        Assert.Equal(DhcpMessageType.Ack, ack!.Message.MessageType);
        Assert.Equal(client, ack.Destination);
        Assert.Equal("snponly.efi", ack.Message.BootFile);
    }

    [Fact]
    public async Task Two_daemons_sharing_one_store_never_hand_out_one_address_twice()
    {
        // Two responders (as two daemons) race 200 clients for a 100-address pool.
        var a = Responder();
        var b = Responder();
        var offers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var mac = $"52:54:00:dd:{i / 256:x2}:{i % 256:x2}";
            var r = i % 2 == 0 ? a : b;
            var offer = await r.RespondAsync(Message(DhcpMessageType.Discover, mac), 67, FromClient, default);
            return offer is null ? null : await r.RespondAsync(Message(DhcpMessageType.Request, mac, offer.Message.YourAddress, Server), 67, FromClient, default);
        })));

        var acked = offers.Where(o => o?.Message.MessageType == DhcpMessageType.Ack).Select(o => o!.Message.YourAddress).ToList();
        Assert.Equal(100, acked.Count);
        Assert.Equal(acked.Count, acked.Distinct().Count());
    }
}
