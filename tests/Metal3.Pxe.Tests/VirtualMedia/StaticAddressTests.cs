using Metal3.Pxe.VirtualMedia;

namespace Metal3.Pxe.Tests.VirtualMedia;

public sealed class StaticAddressTests
{
    private const string Boot = "52:54:00:AA:00:01";

    [Fact]
    public void A_static_network_on_the_boot_nic_becomes_the_kernel_arguments_init_reads()
    {
        const string data = """
            {"links": [{"id": "eth1", "type": "phy", "ethernet_mac_address": "52:54:00:aa:00:02"},
                       {"id": "eth0", "type": "phy", "ethernet_mac_address": "52:54:00:AA:00:01"}],
             "networks": [{"id": "other", "type": "ipv4", "link": "eth1", "ip_address": "10.0.0.5", "netmask": "255.0.0.0"},
                          {"id": "prov", "type": "ipv4", "link": "eth0", "ip_address": "198.18.1.50", "netmask": "255.255.255.0",
                           "routes": [{"network": "10.0.0.0", "netmask": "255.0.0.0", "gateway": "198.18.1.254"},
                                      {"network": "0.0.0.0", "netmask": "0.0.0.0", "gateway": "198.18.1.1"}]}],
             "services": [{"type": "dns", "address": "198.18.1.2"}, {"type": "ntp", "address": "198.18.1.3"}]}
            """;

        var address = StaticAddress.From(data, Boot, out string? error);

        Assert.Null(error);
        Assert.Equal("metal3.mac=52:54:00:aa:00:01 metal3.ip=198.18.1.50/24 metal3.gateway=198.18.1.1 metal3.dns=198.18.1.2", address!.KernelArgs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#cloud-config\nnetwork: {version: 2}")]   // not network_data.json: nothing for the ramdisk
    [InlineData("""{"links": [], "networks": [{"id": "n", "type": "ipv4_dhcp", "link": "eth0"}]}""")]   // DHCP: no address to bake in
    public void Without_a_static_network_the_agent_asks_dhcp(string? data)
    {
        Assert.Null(StaticAddress.From(data, Boot, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"networks": [{"id": "n", "type": "ipv4", "ip_address": "198.18.1.300", "netmask": "255.255.255.0"}]}""", "ip_address '198.18.1.300'")]
    [InlineData("""{"networks": [{"id": "n", "type": "ipv4", "ip_address": "198.18.1.5", "netmask": "255.0.255.0"}]}""", "netmask '255.0.255.0'")]
    [InlineData("""{"networks": [{"id": "n", "type": "ipv4", "ip_address": "198.18.1.5"}]}""", "netmask ''")]
    public void A_malformed_static_network_is_an_error_naming_the_field(string data, string named)
    {
        Assert.Null(StaticAddress.From(data, Boot, out string? error));
        Assert.Contains("networkData network 'n'", error);
        Assert.Contains(named, error);
    }

    [Fact]
    public void A_static_network_without_a_link_goes_to_the_boot_nic()
    {
        var address = StaticAddress.From("""{"networks": [{"type": "ipv4", "ip_address": "198.18.1.9", "netmask": "255.255.0.0"}]}""",
            Boot, out _);

        Assert.Equal("metal3.mac=52:54:00:aa:00:01 metal3.ip=198.18.1.9/16", address!.KernelArgs);
    }
}
