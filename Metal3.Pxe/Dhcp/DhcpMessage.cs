using System.Net;
using System.Text;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// A decoded DHCP message (RFC 2131 §2). Options keep their wire order; an option that appeared several times
/// (RFC 3396 long options, or split across overloaded fields) is one entry with the values concatenated.
/// </summary>
public sealed record DhcpMessage
{
    public BootpOp Op { get; init; }
    public byte HardwareType { get; init; } = 1;      // 1 = Ethernet (RFC 1700)
    public byte HardwareLength { get; init; } = 6;
    public byte Hops { get; init; }
    public uint TransactionId { get; init; }
    public ushort Seconds { get; init; }
    public ushort Flags { get; init; }
    public IPAddress ClientAddress { get; init; } = IPAddress.Any;    // ciaddr
    public IPAddress YourAddress { get; init; } = IPAddress.Any;      // yiaddr
    public IPAddress NextServer { get; init; } = IPAddress.Any;       // siaddr
    public IPAddress RelayAgent { get; init; } = IPAddress.Any;       // giaddr
    public byte[] ClientHardwareAddress { get; init; } = new byte[16]; // chaddr, all 16 bytes
    public string ServerName { get; init; } = "";                     // sname, unless overloaded
    public string BootFile { get; init; } = "";                       // file, unless overloaded
    public IReadOnlyList<DhcpOptionValue> Options { get; init; } = [];

    /// <summary>RFC 2131 §2, figure 2: the leftmost bit of flags asks for broadcast replies.</summary>
    public bool Broadcast => (Flags & 0x8000) != 0;

    public DhcpMessageType MessageType =>
        Find(DhcpOption.MessageType) is { Length: 1 } t ? (DhcpMessageType)t[0] : DhcpMessageType.None;

    /// <summary>The client's MAC as the API stores it ("52:54:00:12:34:56"), or null when chaddr is not Ethernet.</summary>
    public string? Mac => HardwareType == 1 && HardwareLength == 6 ? DhcpValues.FormatMac(ClientHardwareAddress.AsSpan(0, 6)) : null;

    public byte[]? Find(DhcpOption code)
    {
        foreach (var option in Options)
        {
            if (option.Code == code)
            {
                return option.Data;
            }
        }
        return null;
    }

    public bool Has(DhcpOption code) => Find(code) is not null;

    public IPAddress? RequestedAddress => DhcpValues.AsAddress(Find(DhcpOption.RequestedIpAddress));
    public IPAddress? ServerIdentifier => DhcpValues.AsAddress(Find(DhcpOption.ServerIdentifier));
    public string? VendorClass => Find(DhcpOption.VendorClassId) is { } v ? Encoding.ASCII.GetString(v) : null;
    public IReadOnlyList<string> UserClasses => DhcpValues.ParseUserClass(Find(DhcpOption.UserClass));

    /// <summary>RFC 4578 §2.1: a list of 16-bit architecture types; clients send one in practice.</summary>
    public IReadOnlyList<ClientArch> ClientArchitectures => DhcpValues.ParseArchitectures(Find(DhcpOption.ClientSystemArch));

    /// <summary>RFC 2132 §9.10: the largest message the client accepts; 576 when absent (RFC 2131 §2).</summary>
    public int MaxMessageSize =>
        Find(DhcpOption.MaxMessageSize) is { Length: 2 } m ? Math.Max(576, (m[0] << 8) | m[1]) : 576;

    /// <summary>RFC 2132 §9.14: option 61 if present, else the hardware type and chaddr (the lease key).</summary>
    public byte[] ClientKey
    {
        get
        {
            if (Find(DhcpOption.ClientIdentifier) is { Length: > 0 } id)
            {
                return id;
            }
            var key = new byte[1 + Math.Min(HardwareLength, (byte)16)];
            key[0] = HardwareType;
            ClientHardwareAddress.AsSpan(0, key.Length - 1).CopyTo(key.AsSpan(1));
            return key;
        }
    }
}
