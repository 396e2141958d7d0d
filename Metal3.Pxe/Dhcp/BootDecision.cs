using System.Net;

namespace Metal3.Pxe.Dhcp;

/// <summary>
/// The pure decision the DHCP server asks for each client (like smee's Bootfile/NextServer): no I/O, no state.
/// Chain: firmware PXE → TFTP iPXE binary → iPXE → HTTP /boot/ipxe (DESIGN.md, "Network boot").
/// </summary>
public static class BootDecision
{
    public static BootClient Classify(DhcpMessage request)
    {
        // iPXE sends user class "iPXE" (raw text) and option 175; either one identifies it (docs/lab.md).
        if (request.Has(DhcpOption.Ipxe) || request.UserClasses.Contains("iPXE"))
        {
            return BootClient.Ipxe;
        }
        string vendor = request.VendorClass ?? "";
        bool pxe = vendor.StartsWith("PXEClient", StringComparison.Ordinal);
        bool http = vendor.StartsWith("HTTPClient", StringComparison.Ordinal);
        if (!pxe && !http)
        {
            return BootClient.None;
        }
        // RFC 4578 §2.1 option 93; without it, the "Arch:NNNNN" of the PXE vendor class (PXE 2.1 §2.2); without
        // both, a legacy BIOS ROM.
        var arch = request.ClientArchitectures is [var first, ..] ? first : ArchFromVendorClass(vendor) ?? ClientArch.X86Bios;
        return arch switch
        {
            ClientArch.EfiX64Http or ClientArch.EfiArm64Http => BootClient.EfiHttp,
            _ when http => BootClient.EfiHttp,
            ClientArch.X86Bios => BootClient.BiosPxe,
            ClientArch.EfiBc or ClientArch.EfiX64 => BootClient.EfiX64Pxe,
            ClientArch.EfiArm64 => BootClient.EfiArm64Pxe,
            _ => BootClient.UnsupportedPxe,
        };
    }

    private static ClientArch? ArchFromVendorClass(string vendor)
    {
        const string Marker = ":Arch:";
        int i = vendor.IndexOf(Marker, StringComparison.Ordinal);
        return i >= 0 && vendor.Length >= i + Marker.Length + 5 &&
               ushort.TryParse(vendor.AsSpan(i + Marker.Length, 5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var arch)
            ? (ClientArch)arch
            : null;
    }

    /// <summary>The boot information for a client, or null when it is not a network-boot client we can serve.</summary>
    /// <param name="server">Our address on the provisioning network: TFTP next-server.</param>
    /// <param name="httpUrl">The provisioning listener (<c>Metal3:Pxe:HttpUrl</c>).</param>
    public static BootInfo? For(DhcpMessage request, IPAddress server, Uri httpUrl, BootFiles files)
    {
        string baseUrl = httpUrl.GetLeftPart(UriPartial.Authority);
        return Classify(request) switch
        {
            // iPXE may have been chainloaded by a PXE ROM: no PXEClient needed, but echoing it stops iPXE's wait
            // for ProxyDHCP offers (~3 s, docs/lab.md).
            BootClient.Ipxe => new BootInfo(baseUrl + files.IpxeScriptPath, server, "PXEClient"),
            BootClient.BiosPxe => new BootInfo(files.Bios, server, "PXEClient"),
            BootClient.EfiX64Pxe => new BootInfo(files.EfiX64, server, "PXEClient"),
            BootClient.EfiArm64Pxe => new BootInfo(files.EfiArm64, server, "PXEClient"),
            // UEFI spec 2.x §24.7: the reply must carry vendor class "HTTPClient" or the firmware ignores it.
            BootClient.EfiHttp => new BootInfo(baseUrl + files.HttpBootPath, null, "HTTPClient"),
            _ => null,
        };
    }
}
