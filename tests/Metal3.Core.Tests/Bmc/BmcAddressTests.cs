using Metal3.Core.Bmc;

namespace Metal3.Core.Tests.Bmc;

public class BmcAddressTests
{
    [Theory]
    [InlineData("ipmi://198.18.0.10", BmcDriverKind.Ipmi, "198.18.0.10", 623, "")]
    [InlineData("ipmi://198.18.0.10:6230", BmcDriverKind.Ipmi, "198.18.0.10", 6230, "")]
    [InlineData("IPMI://bmc-1.example.com", BmcDriverKind.Ipmi, "bmc-1.example.com", 623, "")]
    [InlineData("ipmi://[fd00::1]:623", BmcDriverKind.Ipmi, "[fd00::1]", 623, "")]
    [InlineData("redfish://10.0.0.1/redfish/v1/Systems/1", BmcDriverKind.Redfish, "10.0.0.1", 443, "/redfish/v1/Systems/1")]
    [InlineData("redfish+http://127.0.0.1:8000/redfish/v1/Systems/abc/", BmcDriverKind.Redfish, "127.0.0.1", 8000, "/redfish/v1/Systems/abc")]
    [InlineData("redfish+https://bmc", BmcDriverKind.Redfish, "bmc", 443, "")]
    [InlineData("redfish-virtualmedia://bmc/redfish/v1/Systems/1", BmcDriverKind.RedfishVirtualMedia, "bmc", 443, "/redfish/v1/Systems/1")]
    [InlineData("fake://host-7?delayMs=10&fail=inspect", BmcDriverKind.Fake, "host-7", 0, "")]
    public void Valid_addresses_parse(string text, BmcDriverKind kind, string host, int port, string path)
    {
        Assert.True(BmcAddress.TryParse(text, out var address, out string error), error);
        Assert.Equal(kind, address.Kind);
        Assert.Equal(host, address.Host);
        Assert.Equal(port, address.Port);
        Assert.Equal(path, address.Path);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("198.18.0.10", "not a URL")]
    [InlineData("ipmx://198.18.0.10", "unknown BMC scheme 'ipmx'")]
    [InlineData("http://198.18.0.10", "unknown BMC scheme 'http'")]
    [InlineData("ipmi://198.18.0.10:70000", "port")]
    [InlineData("ipmi://198.18.0.10:0", "port")]
    [InlineData("ipmi://admin:pw@198.18.0.10", "credentials do not belong")]
    public void Invalid_addresses_say_why(string? text, string expected)
    {
        Assert.False(BmcAddress.TryParse(text, out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
