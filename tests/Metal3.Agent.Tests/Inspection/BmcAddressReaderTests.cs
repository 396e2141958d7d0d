using Metal3.Agent.Inspection;

namespace Metal3.Agent.Tests.Inspection;

/// <summary>The BMC address an unknown machine reports to discovery, read in band with <c>ipmitool lan print</c>.</summary>
public sealed class BmcAddressReaderTests
{
    [Theory]
    [InlineData("Set in Progress         : Set Complete\nIP Address Source       : Static Address\nIP Address              : 198.18.0.21\nSubnet Mask             : 255.255.254.0\n", "198.18.0.21")]
    [InlineData("IP Address Source       : DHCP Address\nIP Address              : 0.0.0.0\n", null)]
    [InlineData("Could not open device at /dev/ipmi0\n", null)]
    public void The_BMC_address_is_read_from_ipmitool_lan_print(string output, string? expected) =>
        Assert.Equal(expected, BmcAddressReader.Parse(output));

    [Fact]
    public async Task Without_ipmitool_the_BMC_address_is_null()
    {
        Assert.Null(await new BmcAddressReader("/nonexistent/ipmitool").ReadAsync(CancellationToken.None));
    }
}
