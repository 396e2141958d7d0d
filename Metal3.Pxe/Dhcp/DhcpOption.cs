namespace Metal3.Pxe.Dhcp;

/// <summary>DHCP option codes (RFC 2132 unless noted), as they appear on the wire.</summary>
public enum DhcpOption : byte
{
    Pad                  = 0,
    SubnetMask           = 1,
    Router               = 3,
    DomainNameServer     = 6,
    HostName             = 12,
    DomainName           = 15,
    BroadcastAddress     = 28,
    VendorSpecific       = 43,   // PXE uses it for its vendor sub-options (PXE 2.1 §2.4)
    RequestedIpAddress   = 50,
    LeaseTime            = 51,
    OptionOverload       = 52,
    MessageType          = 53,
    ServerIdentifier     = 54,
    ParameterRequestList = 55,
    Message              = 56,
    MaxMessageSize       = 57,
    RenewalTime          = 58,
    RebindingTime        = 59,
    VendorClassId        = 60,
    ClientIdentifier     = 61,
    TftpServerName       = 66,
    BootFileName         = 67,
    UserClass            = 77,   // RFC 3004
    RelayAgentInformation = 82,  // RFC 3046
    ClientSystemArch     = 93,   // RFC 4578
    ClientNetworkInterfaceId = 94, // RFC 4578
    ClientMachineId      = 97,   // RFC 4578 (UUID/GUID)
    Ipxe                 = 175,  // iPXE's encapsulated options (feature flags, bus id, version)
    End                  = 255,
}

/// <summary>DHCP message types, option 53 (RFC 2132 §9.6).</summary>
public enum DhcpMessageType : byte
{
    None     = 0,
    Discover = 1,
    Offer    = 2,
    Request  = 3,
    Decline  = 4,
    Ack      = 5,
    Nak      = 6,
    Release  = 7,
    Inform   = 8,
}

/// <summary>BOOTP op field (RFC 951): every DHCP client message is a request, every server message a reply.</summary>
public enum BootpOp : byte
{
    BootRequest = 1,
    BootReply   = 2,
}

/// <summary>Why a datagram is not a DHCP message. A value, never an exception: the receive loop just drops it.</summary>
public enum DhcpParseError
{
    None,
    /// <summary>Shorter than the 236-byte fixed header plus the 4-byte magic cookie.</summary>
    TooShort,
    BadOp,
    /// <summary>hlen larger than the 16-byte chaddr field.</summary>
    BadHardwareLength,
    BadMagicCookie,
    /// <summary>An option's length runs past the end of its area.</summary>
    TruncatedOption,
    /// <summary>Option 52 is malformed or appears inside an overloaded field.</summary>
    BadOverload,
}

/// <summary>Client system architecture types (RFC 4578 §2.1 and the IANA registry).</summary>
public enum ClientArch : ushort
{
    X86Bios      = 0,
    EfiIa32      = 6,
    EfiBc        = 7,   // "EFI BC": x64 UEFI in practice (OVMF, iPXE EFI send 7)
    EfiX64       = 9,
    EfiArm32     = 10,
    EfiArm64     = 11,
    EfiX64Http   = 16,
    EfiArm64Http = 19,
}
