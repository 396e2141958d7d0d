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
