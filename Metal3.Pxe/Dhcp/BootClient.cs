namespace Metal3.Pxe.Dhcp;

/// <summary>Which firmware is asking, from options 60, 77, 93 and 175.</summary>
public enum BootClient
{
    /// <summary>Not a network-boot client (udhcpc, dhclient, an OS).</summary>
    None,
    /// <summary>iPXE itself (user class "iPXE" or option 175): give it the HTTP script URL.</summary>
    Ipxe,
    BiosPxe,
    EfiX64Pxe,
    EfiArm64Pxe,
    /// <summary>UEFI HTTP boot (arch 16/19, vendor class "HTTPClient…"): a URL, no TFTP.</summary>
    EfiHttp,
    /// <summary>A PXE client of an architecture we have no binary for.</summary>
    UnsupportedPxe,
}
