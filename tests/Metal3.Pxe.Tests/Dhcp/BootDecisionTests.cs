using System.Buffers.Binary;
using System.Net;
using Metal3.Pxe.Dhcp;

namespace Metal3.Pxe.Tests.Dhcp;

public class BootDecisionTests
{
    private static readonly IPAddress Server = IPAddress.Parse("198.18.0.1");
    private static readonly Uri Http = new("http://198.18.0.1:8080");

    private static DhcpMessage Client(string? vendorClass, ushort? arch = null, byte[]? userClass = null, bool option175 = false)
    {
        var options = new List<DhcpOptionValue> { new(DhcpOption.MessageType, [1]) };
        if (vendorClass is not null)
        {
            options.Add(new(DhcpOption.VendorClassId, DhcpValues.Text(vendorClass)));
        }
        if (arch is ushort a)
        {
            var bytes = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(bytes, a);
            options.Add(new(DhcpOption.ClientSystemArch, bytes));
        }
        if (userClass is not null)
        {
            options.Add(new(DhcpOption.UserClass, userClass));
        }
        if (option175)
        {
            options.Add(new(DhcpOption.Ipxe, [0x13, 1, 1]));
        }
        return new DhcpMessage { Op = BootpOp.BootRequest, Options = options };
    }

    public static TheoryData<string, DhcpMessage, string?, string?> Rows() => new()
    {
        // Legacy BIOS PXE ROMs send arch 0 (or no option 93 at all).
        { "bios", Client("PXEClient:Arch:00000:UNDI:002001", 0), "undionly.kpxe", "PXEClient" },
        { "bios without option 93", Client("PXEClient"), "undionly.kpxe", "PXEClient" },
        { "uefi without option 93, arch from the vendor class", Client("PXEClient:Arch:00007:UNDI:003000"), "snponly.efi", "PXEClient" },
        // RFC 4578 type 7 is "EFI BC" but every x64 UEFI firmware sends it; 9 is x64 by the registry.
        { "uefi x64 as 7", Client("PXEClient:Arch:00007:UNDI:003000", 7), "snponly.efi", "PXEClient" },
        { "uefi x64 as 9", Client("PXEClient:Arch:00009:UNDI:003000", 9), "snponly.efi", "PXEClient" },
        { "arm64", Client("PXEClient:Arch:00011:UNDI:003000", 11), "snponly-arm64.efi", "PXEClient" },
        // UEFI HTTP boot: a URL to an EFI binary, and the reply must say HTTPClient.
        { "uefi http boot", Client("HTTPClient:Arch:00016:UNDI:003000", 16), "http://198.18.0.1:8080/boot/snponly.efi", "HTTPClient" },
        // iPXE: by its raw user class, by RFC 3004 user class, or by option 175.
        { "ipxe by raw user class", Client("PXEClient:Arch:00000:UNDI:002001", 0, "iPXE"u8.ToArray()), "http://198.18.0.1:8080/boot/ipxe?mac=${net0/mac}", "PXEClient" },
        { "ipxe by rfc 3004 user class", Client("PXEClient", 7, [4, .. "iPXE"u8]), "http://198.18.0.1:8080/boot/ipxe?mac=${net0/mac}", "PXEClient" },
        { "ipxe by option 175", Client("PXEClient", 7, null, option175: true), "http://198.18.0.1:8080/boot/ipxe?mac=${net0/mac}", "PXEClient" },
        // Not network-boot clients, or an architecture we have no binary for.
        { "udhcpc", Client("udhcp 1.35.0"), null, null },
        { "no vendor class", Client(null), null, null },
        { "ia32 uefi", Client("PXEClient:Arch:00006:UNDI:003000", 6), null, null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_kind_of_client_gets_its_boot_file(string why, DhcpMessage request, string? bootFile, string? vendorClass)
    {
        var info = BootDecision.For(request, Server, Http, new BootFiles());

        Assert.True(bootFile == info?.BootFile, why);
        Assert.Equal(vendorClass, info?.VendorClass);
    }

    [Fact]
    public void Tftp_clients_are_sent_to_our_address_as_next_server_and_http_clients_are_not()
    {
        Assert.Equal(Server, BootDecision.For(Client("PXEClient", 0), Server, Http, new BootFiles())!.NextServer);
        Assert.Null(BootDecision.For(Client("HTTPClient", 16), Server, Http, new BootFiles())!.NextServer);
    }
}
