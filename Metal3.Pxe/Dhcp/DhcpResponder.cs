using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// Decides the answer to one client message (RFC 2131 §4.3 for full mode, PXE 2.1 §2.2 for proxy mode). Knows no
/// sockets: the server hands it a parsed message and sends what it returns. It talks to the inventory only through
/// <see cref="IBootHostLookup"/> and to leases only through <see cref="IDhcpLeaseStore"/>.
/// </summary>
public sealed class DhcpResponder
{
    private readonly DhcpOptions _options;
    private readonly IPAddress _server;
    private readonly Uri _httpUrl;
    private readonly IBootHostLookup _hosts;
    private readonly IDhcpLeaseStore _leases;
    private readonly DhcpPool? _pool;
    private readonly IPAddress _mask;

    public DhcpResponder(DhcpOptions options, IPAddress server, Uri httpUrl, IBootHostLookup hosts, IDhcpLeaseStore leases)
    {
        _options = options;
        _server = server;
        _httpUrl = httpUrl;
        _hosts = hosts;
        _leases = leases;
        _mask = options.SubnetMask ?? IPAddress.Parse("255.255.255.0");
        if (options.Mode == DhcpMode.Full)
        {
            if (options.RangeStart is null || options.RangeEnd is null)
            {
                throw new ArgumentException("Metal3:Pxe:Dhcp:RangeStart and RangeEnd are required in full mode", nameof(options));
            }
            _pool = new DhcpPool(options.RangeStart, options.RangeEnd, options.Reservations);
        }
    }

    /// <param name="fromPort">The local port the message came in on (67, or 4011 in proxy mode).</param>
    /// <param name="source">Who sent it (relay, or the client itself).</param>
    public async ValueTask<DhcpReply?> RespondAsync(DhcpMessage request, int fromPort, IPEndPoint source, CancellationToken cancellationToken)
    {
        if (request.Op != BootpOp.BootRequest || request.Mac is not { } mac)
        {
            return null;   // only Ethernet clients; replies from other servers are not for us
        }
        return _options.Mode switch
        {
            DhcpMode.Full => await FullAsync(request, mac, cancellationToken),
            DhcpMode.Proxy => await ProxyAsync(request, mac, fromPort, source, cancellationToken),
            _ => null,
        };
    }

    private async ValueTask<DhcpReply?> FullAsync(DhcpMessage request, string mac, CancellationToken ct)
    {
        var relay = request.RelayAgent.Equals(IPAddress.Any) ? null : request.RelayAgent;
        // One pool: a relayed request from another subnet is not ours to answer.
        if (relay is not null && !Ipv4.SameSubnet(relay, _pool!.RangeStart, _mask))
        {
            return null;
        }
        string clientKey = Convert.ToHexString(request.ClientKey);
        var lease = TimeSpan.FromSeconds(_options.LeaseSeconds);
        switch (request.MessageType)
        {
            case DhcpMessageType.Discover:
            {
                var offered = await _leases.AllocateAsync(new LeaseRequest(clientKey, mac, request.RequestedAddress, _pool!), TimeSpan.FromSeconds(_options.OfferHoldSeconds), ct);
                return offered is null ? null : Reply(request, DhcpMessageType.Offer, offered.Address, await BootInfoAsync(request, mac, ct), lease);
            }
            case DhcpMessageType.Request:
            {
                var serverId = request.ServerIdentifier;
                if (serverId is not null && !serverId.Equals(_server))
                {
                    // SELECTING another server's offer (RFC 2131 §4.3.2): let our offer go (only the offer: that server may
                    // share our database and have just bound the address), say nothing.
                    if (request.RequestedAddress is { } other)
                    {
                        await _leases.WithdrawOfferAsync(clientKey, other, ct);
                    }
                    return null;
                }
                // Selecting/init-reboot name the address in option 50; renewing/rebinding in ciaddr.
                var wanted = request.RequestedAddress ?? (request.ClientAddress.Equals(IPAddress.Any) ? null : request.ClientAddress);
                if (wanted is null)
                {
                    return null;
                }
                var bound = await _leases.RenewAsync(new LeaseRequest(clientKey, mac, wanted, _pool!), lease, ct);
                if (bound is null)
                {
                    return Nak(request);
                }
                return Reply(request, DhcpMessageType.Ack, bound.Address, await BootInfoAsync(request, mac, ct), lease);
            }
            case DhcpMessageType.Decline when request.ServerIdentifier?.Equals(_server) != false && request.RequestedAddress is { } declined:
                await _leases.DeclineAsync(clientKey, declined, TimeSpan.FromSeconds(_options.DeclineQuarantineSeconds), ct);
                return null;
            case DhcpMessageType.Release:
                await _leases.ReleaseAsync(clientKey, request.ClientAddress, ct);
                return null;
            case DhcpMessageType.Inform:
                // RFC 2131 §4.3.5: configuration only; no lease, no yiaddr.
                return Reply(request, DhcpMessageType.Ack, IPAddress.Any, await BootInfoAsync(request, mac, ct), null);
            default:
                return null;
        }
    }

    /// <summary>
    /// ProxyDHCP (PXE 2.1 §2.2.4-2.2.5): on 67 we answer a PXE client's DISCOVER with an OFFER that carries no address,
    /// only boot information; firmware that wants more asks again on 4011 with a REQUEST, answered by an ACK to its port.
    /// </summary>
    private async ValueTask<DhcpReply?> ProxyAsync(DhcpMessage request, string mac, int fromPort, IPEndPoint source, CancellationToken ct)
    {
        var type = request.MessageType;
        bool onProxyPort = fromPort == _options.ProxyPort;
        if (!(type == DhcpMessageType.Discover && !onProxyPort) && !(type is DhcpMessageType.Request or DhcpMessageType.Inform && onProxyPort))
        {
            return null;
        }
        var boot = await BootInfoAsync(request, mac, ct);
        if (boot is null)
        {
            return null;   // unknown or not a network-boot client: the other DHCP server deals with it
        }
        var reply = Reply(request, onProxyPort ? DhcpMessageType.Ack : DhcpMessageType.Offer, IPAddress.Any, boot, null);
        // 4011 replies go back to where the request came from (the client has an address by then).
        return onProxyPort ? reply with { Destination = source } : reply;
    }

    /// <summary>
    /// Whether <see cref="DhcpOptions.KnownClientsOnly"/> lets this client be answered: an enrolled host's MAC, a
    /// reserved MAC, or, with discovery on, a machine that network-boots. The server asks this before
    /// <see cref="RespondAsync"/> when the option is on, so that what it ignores is counted as such.
    /// </summary>
    public async ValueTask<bool> IsKnownClientAsync(DhcpMessage request, CancellationToken cancellationToken)
    {
        if (request.Mac is not { } mac)
        {
            return false;
        }
        if (_options.Reservations.ContainsKey(mac)
            || (_options.Discovery && BootDecision.For(request, _server, _httpUrl, _options.BootFiles) is not null))
        {
            return true;
        }
        return await _hosts.FindByMacAsync(mac, cancellationToken) is not null;
    }

    private async ValueTask<BootInfo?> BootInfoAsync(DhcpMessage request, string mac, CancellationToken ct)
    {
        var info = BootDecision.For(request, _server, _httpUrl, _options.BootFiles);
        if (info is null)
        {
            return null;
        }
        var host = await _hosts.FindByMacAsync(mac, ct);
        return host is not null || _options.Discovery ? info : null;
    }

    private DhcpReply Reply(DhcpMessage request, DhcpMessageType type, IPAddress yourAddress, BootInfo? boot, TimeSpan? lease)
    {
        var options = new List<DhcpOptionValue>
        {
            new(DhcpOption.MessageType, [(byte)type]),
            new(DhcpOption.ServerIdentifier, DhcpValues.Address(_server)),
        };
        if (lease is { } l)
        {
            uint seconds = (uint)l.TotalSeconds;
            options.Add(new(DhcpOption.LeaseTime, DhcpValues.UInt32(seconds)));
            // RFC 2131 §4.4.5 defaults: T1 = 0.5, T2 = 0.875 of the lease.
            options.Add(new(DhcpOption.RenewalTime, DhcpValues.UInt32(seconds / 2)));
            options.Add(new(DhcpOption.RebindingTime, DhcpValues.UInt32((uint)(seconds * 7UL / 8))));
        }
        if (_options.Mode == DhcpMode.Full)
        {
            options.Add(new(DhcpOption.SubnetMask, DhcpValues.Address(_mask)));
            if (_options.Router is { } router)
            {
                options.Add(new(DhcpOption.Router, DhcpValues.Address(router)));
            }
            if (_options.DnsServers.Count > 0)
            {
                options.Add(new(DhcpOption.DomainNameServer, DhcpValues.Addresses(_options.DnsServers)));
            }
        }
        var nextServer = IPAddress.Any;
        string file = "";
        if (boot is not null)
        {
            // Option 60 "PXEClient" in the reply stops iPXE (~3 s) and OVMF (~5 s) waiting for ProxyDHCP offers (docs/lab.md).
            options.Add(new(DhcpOption.VendorClassId, DhcpValues.Text(boot.VendorClass)));
            if (boot.VendorClass == "PXEClient")
            {
                // PXE 2.1 §2.4 option 43 sub-option 6 (discovery control) = 8: boot the file named here, no boot server
                // discovery. Without it, OVMF takes a "PXEClient" offer as BINL and asks port 4011 for the file
                // (seen in the QEMU test: it ACKed, never fetched over TFTP, and started over 80 s later).
                options.Add(new(DhcpOption.VendorSpecific, [6, 1, 8, 255]));
            }
            if (boot.NextServer is { } next)
            {
                nextServer = next;
                options.Add(new(DhcpOption.TftpServerName, DhcpValues.Text(next.ToString())));
            }
            options.Add(new(DhcpOption.BootFileName, DhcpValues.Text(boot.BootFile)));
            // Old PXE ROMs read only the BOOTP file field; it holds 127 characters, enough for our names and URLs.
            file = boot.BootFile.Length < DhcpCodec.FileLength ? boot.BootFile : "";
        }
        var relayInfo = request.Find(DhcpOption.RelayAgentInformation);
        if (relayInfo is not null)
        {
            // RFC 3046 §2.2: echo the relay agent information, last.
            options.Add(new(DhcpOption.RelayAgentInformation, relayInfo));
        }
        var reply = new DhcpMessage
        {
            Op = BootpOp.BootReply,
            HardwareType = request.HardwareType,
            HardwareLength = request.HardwareLength,
            TransactionId = request.TransactionId,
            Flags = request.Flags,
            ClientAddress = type == DhcpMessageType.Ack ? request.ClientAddress : IPAddress.Any,
            YourAddress = yourAddress,
            NextServer = nextServer,
            RelayAgent = request.RelayAgent,
            ClientHardwareAddress = request.ClientHardwareAddress,
            BootFile = file,
            Options = options,
        };
        return new DhcpReply(reply, Destination(request, nak: false));
    }

    private DhcpReply Nak(DhcpMessage request)
    {
        var options = new List<DhcpOptionValue>
        {
            new(DhcpOption.MessageType, [(byte)DhcpMessageType.Nak]),
            new(DhcpOption.ServerIdentifier, DhcpValues.Address(_server)),
        };
        if (request.Find(DhcpOption.RelayAgentInformation) is { } relayInfo)
        {
            options.Add(new(DhcpOption.RelayAgentInformation, relayInfo));
        }
        var nak = new DhcpMessage
        {
            Op = BootpOp.BootReply,
            TransactionId = request.TransactionId,
            // RFC 2131 §4.3.2: a NAK through a relay sets the broadcast bit so the relay broadcasts it.
            Flags = request.RelayAgent.Equals(IPAddress.Any) ? request.Flags : (ushort)(request.Flags | 0x8000),
            RelayAgent = request.RelayAgent,
            ClientHardwareAddress = request.ClientHardwareAddress,
            HardwareType = request.HardwareType,
            HardwareLength = request.HardwareLength,
            Options = options,
        };
        return new DhcpReply(nak, Destination(request, nak: true));
    }

    /// <summary>
    /// RFC 2131 §4.1: to the relay (giaddr, server port) if relayed; else to ciaddr if the client has one (not for a
    /// NAK); else broadcast. The RFC prefers unicast to yiaddr/chaddr for clients without the broadcast bit, which a
    /// socket cannot do without an ARP entry; broadcasting works for every client we tested (docs/lab.md).
    /// </summary>
    private IPEndPoint Destination(DhcpMessage request, bool nak)
    {
        if (!request.RelayAgent.Equals(IPAddress.Any))
        {
            return new IPEndPoint(request.RelayAgent, _options.ServerPort);
        }
        if (!nak && !request.ClientAddress.Equals(IPAddress.Any))
        {
            return new IPEndPoint(request.ClientAddress, _options.ClientPort);
        }
        return new IPEndPoint(IPAddress.Broadcast, _options.ClientPort);
    }
}
