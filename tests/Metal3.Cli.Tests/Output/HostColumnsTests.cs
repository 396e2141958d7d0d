using System.Text.Json.Nodes;
using Metal3.Cli.Output;

namespace Metal3.Cli.Tests.Output;

public class HostColumnsTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(2 * 3600 - 1, "119m")]
    [InlineData(2 * 3600, "2h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(-5, "0s")]                 // a daemon clock slightly ahead of ours
    public void Age_is_kubectls(int seconds, string expected)
    {
        Assert.Equal(expected, HostColumns.Age(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void A_row_reads_the_kubectl_columns_out_of_a_host()
    {
        var host = JsonNode.Parse("""
            {"name": "w0", "consumerRef": "c1", "online": true, "bmc": {"address": "ipmi://10.0.0.1"},
             "createdAt": "2026-01-01T00:00:00Z", "bootMacAddress": "52:54:00:00:00:01", "image": {"url": "http://i/x"},
             "labels": {"rack": "r1", "tier": "db"},
             "status": {"provisioning": {"state": "provisioning", "progress": {"bytesWritten": 50, "bytesTotal": 200}},
                        "poweredOn": false, "errorType": "provisioning error", "operationalStatus": "error"}}
            """)!.AsObject();

        string[] row = HostColumns.Row(host, wide: true, DateTimeOffset.Parse("2026-01-01T00:05:00Z"));

        Assert.Equal(["w0", "provisioning", "c1", "true", "off", "ipmi://10.0.0.1", "provisioning error", "5m",
            "error", "52:54:00:00:00:01", "http://i/x", "25%", "rack=r1,tier=db"], row);
    }
}
