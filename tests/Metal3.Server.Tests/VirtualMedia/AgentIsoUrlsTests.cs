using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Metal3.Pxe;
using Metal3.Server.Pxe;
using Metal3.Server.VirtualMedia;

namespace Metal3.Server.Tests.VirtualMedia;

public sealed class AgentIsoUrlsTests
{
    private static readonly Guid HostId = Guid.Parse("0b0e4c52-4a3e-4d7e-9a35-6f4f2a7d9c10");
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly PxeHosting Listener = new()
    {
        Options = new PxeOptions { HttpUrl = new Uri("http://198.18.0.1:8080") },
        AgentKernel = "/var/lib/metal3/ramdisk/vmlinuz",
        AgentInitramfs = "/var/lib/metal3/ramdisk/initramfs",
        AgentKernelArgs = "console=ttyS0",
    };

    private const string StaticData = """
        {"links": [{"id": "eth0", "ethernet_mac_address": "52:54:00:00:00:01"}],
         "networks": [{"id": "prov", "type": "ipv4", "link": "eth0", "ip_address": "198.18.1.50", "netmask": "255.255.255.0"}]}
        """;

    [Fact]
    public void A_virtual_media_host_gets_a_cd_at_a_keyed_url_on_the_listener_that_checks_back()
    {
        var urls = new AgentIsoUrls(Listener, Key);
        var spec = Spec("redfish-virtualmedia+https://10.0.0.5/redfish/v1/Systems/1");

        var cd = Assert.IsType<AgentMedia.VirtualCd>(urls.MediaFor(HostId, spec));

        Assert.Matches(@"^http://198\.18\.0\.1:8080/boot/iso/0b0e4c524a3e4d7e9a356f4f2a7d9c10/[0-9a-f]{32}\.iso$", cd.Iso.ToString());
        var iso = urls.Check(HostId, spec, Token(cd));
        Assert.Equal("metal3.api=http://198.18.0.1:8080 console=ttyS0", iso!.KernelArgs);
        Assert.Equal(Listener.AgentInitramfs, iso.Initramfs);
    }

    [Fact]
    public void The_token_holds_only_for_its_host_its_network_data_and_this_daemons_key()
    {
        var urls = new AgentIsoUrls(Listener, Key);
        var spec = Spec("redfish-virtualmedia://10.0.0.5");
        string token = Token(Assert.IsType<AgentMedia.VirtualCd>(urls.MediaFor(HostId, spec)));

        Assert.Null(urls.Check(Guid.NewGuid(), spec, token));
        Assert.Null(urls.Check(HostId, spec with { NetworkData = StaticData }, token));
        Assert.Null(new AgentIsoUrls(Listener, [.. Key.Select(b => (byte)(b ^ 0xff))]).Check(HostId, spec, token));
        Assert.Null(urls.Check(HostId, spec, token[..^1] + (token[^1] == '0' ? '1' : '0')));
        Assert.Null(urls.Check(HostId, spec with { Bmc = new BmcDetails { Address = "redfish://10.0.0.5" } }, token));
    }

    [Fact]
    public void A_static_address_from_network_data_goes_on_the_kernel_line()
    {
        var urls = new AgentIsoUrls(Listener, Key);
        var spec = Spec("redfish-virtualmedia://10.0.0.5") with { NetworkData = StaticData };

        var cd = Assert.IsType<AgentMedia.VirtualCd>(urls.MediaFor(HostId, spec));

        Assert.EndsWith("metal3.mac=52:54:00:00:00:01 metal3.ip=198.18.1.50/24", urls.Check(HostId, spec, Token(cd))!.KernelArgs);
    }

    [Fact]
    public void Other_bmcs_boot_the_network_and_virtual_media_without_a_listener_or_with_bad_network_data_cannot_boot()
    {
        Assert.Same(AgentMedia.Network, new AgentIsoUrls(Listener, Key).MediaFor(HostId, Spec("redfish://10.0.0.5")));
        Assert.Same(AgentMedia.Network, new AgentIsoUrls(Listener, Key).MediaFor(HostId, Spec("ipmi://10.0.0.5")));

        var noListener = new AgentIsoUrls(PxeHosting.Off, Key).MediaFor(HostId, Spec("redfish-virtualmedia://10.0.0.5"));
        Assert.Contains("Metal3:Pxe:HttpUrl is not set", Assert.IsType<AgentMedia.Unusable>(noListener).Why);

        var badData = new AgentIsoUrls(Listener, Key).MediaFor(HostId, Spec("redfish-virtualmedia://10.0.0.5") with
        {
            NetworkData = """{"networks": [{"id": "prov", "type": "ipv4", "ip_address": "nope", "netmask": "255.255.255.0"}]}""",
        });
        Assert.Contains("ip_address 'nope'", Assert.IsType<AgentMedia.Unusable>(badData).Why);
    }

    [Fact]
    public void The_key_file_is_made_once_owner_only_and_kept()
    {
        string dir = Directory.CreateTempSubdirectory("metal3-iso-key-").FullName;
        try
        {
            string keyFile = Path.Combine(dir, "agent-iso", "url.key");
            var spec = Spec("redfish-virtualmedia://10.0.0.5");
            var first = AgentIsoUrls.Open(Listener, keyFile).MediaFor(HostId, spec);
            var second = AgentIsoUrls.Open(Listener, keyFile).MediaFor(HostId, spec);

            Assert.Equal(first, second);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            Assert.Equal(32, new FileInfo(keyFile).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static HostSpec Spec(string bmc) => new()
    {
        Name = "vm-0",
        BootMacAddress = "52:54:00:00:00:01",
        Bmc = new BmcDetails { Address = bmc },
    };

    private static string Token(AgentMedia.VirtualCd cd) => Path.GetFileNameWithoutExtension(cd.Iso.AbsolutePath);
}
