using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Tests.Support;
using Metal3.Contracts.Api;

namespace Metal3.Cli.Tests.Api;

/// <summary>
/// The typed view metal3ctl reads against what this daemon writes: a host read into the Contracts' type and written back
/// is the same JSON, so nothing the daemon sends is lost to the tables or the waits, and no known value is misread.
/// </summary>
[Collection(CliDaemonCollection.Name)]
public class DaemonContractTests(CliDaemon daemon)
{
    [Fact]
    public async Task A_host_as_the_daemon_writes_it_reads_into_the_contract_and_back_unchanged()
    {
        using var api = daemon.Api();
        (await api.PostAsJsonAsync("/api/v1/hosts", new
        {
            name = "contract-0",
            labels = new { suite = "contract", rack = "r1" },
            online = true,
            bootMacAddress = "52:54:00:c0:00:01",
            bootMode = "legacy",
            bmc = new { address = "fake://contract-0", username = "admin", password = "secret" },
            image = new { url = "http://images.example/c.qcow2", checksum = new string('b', 64), checksumType = "sha256", format = "qcow2" },
            rootDeviceHints = new { deviceName = "/dev/sda", minSizeGigabytes = 10 },
            userData = "#cloud-config\n",
            consumerRef = "cluster-c",
        })).EnsureSuccessStatusCode();
        // Inspected and provisioned: hardware details, operation history and the image in the status are all written.
        JsonObject host = await daemon.GetHostAsync("contract-0");
        await Eventually.Until(async () => (host = await daemon.GetHostAsync("contract-0"))["status"]!["provisioning"]!["state"]!
            .GetValue<string>() == "provisioned", TimeSpan.FromMinutes(2), () => Task.FromResult(host.ToJsonString()));

        var typed = host.Deserialize(DaemonJson.Shape<HostResponse>())!;
        var written = JsonSerializer.SerializeToNode(typed, DaemonJson.Shape<HostResponse>())!;

        Assert.NotNull(host["status"]!["hardware"]);
        Assert.True(JsonNode.DeepEquals(host, written), $"daemon:\n{host.ToJsonString()}\nread and written:\n{written.ToJsonString()}");
    }
}
