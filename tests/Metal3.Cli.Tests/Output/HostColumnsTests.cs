using System.Text.Json;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;

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
        var host = Host("""
            {"name": "w0", "consumerRef": "c1", "online": true, "bmc": {"address": "ipmi://10.0.0.1"},
             "createdAt": "2026-01-01T00:00:00Z", "bootMacAddress": "52:54:00:00:00:01", "image": {"url": "http://i/x"},
             "labels": {"rack": "r1", "tier": "db"},
             "status": {"provisioning": {"state": "provisioning", "progress": {"bytesWritten": 50, "bytesTotal": 200}},
                        "poweredOn": false, "errorType": "provisioning error", "operationalStatus": "error"}}
            """);

        string[] row = HostColumns.Row(host, wide: true, DateTimeOffset.Parse("2026-01-01T00:05:00Z"));

        Assert.Equal(["w0", "provisioning", "c1", "true", "off", "ipmi://10.0.0.1", "provisioning error", "5m",
            "error", "52:54:00:00:00:01", "http://i/x", "25%", "rack=r1,tier=db"], row);
    }

    [Fact]
    public void A_host_from_a_newer_daemon_shows_the_words_this_build_does_not_know_as_sent()
    {
        var host = Host("""
            {"name": "n0", "online": false, "bmc": {"address": "fake://n0", "vendor": "acme"}, "createdAt": "2026-01-01T00:00:00Z",
             "labels": {}, "powerPolicy": {"cap": 300},
             "status": {"provisioning": {"state": "rebooting", "stage": 2}, "poweredOn": true,
                        "errorType": "firmware error", "operationalStatus": "degraded", "errorCount": 1}}
            """);

        string[] row = HostColumns.Row(host, wide: true, DateTimeOffset.Parse("2026-01-01T00:00:30Z"));

        Assert.Equal(["n0", "rebooting", "", "false", "on", "fake://n0", "firmware error", "30s", "degraded", "", "", "", ""], row);
    }

    [Fact]
    public void A_host_known_only_by_name_and_version_leaves_every_other_cell_empty()
    {
        // What the daemon sends as DELETED for a host it never loaded: not "false" and "off" for fields it did not send.
        var host = Host("""{"name": "gone-0", "resourceVersion": "12"}""");

        Assert.Equal(["gone-0", "", "", "", "", "", "", "", "", "", "", "", ""], HostColumns.Row(host, wide: true, DateTimeOffset.UtcNow));
    }

    private static HostResponse Host(string json) => JsonSerializer.Deserialize(json, DaemonJson.Shape<HostResponse>())!;
}
