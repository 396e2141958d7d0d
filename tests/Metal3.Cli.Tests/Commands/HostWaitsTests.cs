using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Commands;
using Metal3.Contracts.Api;
using Metal3.Core.Provisioning;

namespace Metal3.Cli.Tests.Commands;

/// <summary>What a wait concludes from one poll of the host, read typed.</summary>
public class HostWaitsTests
{
    [Theory]
    [InlineData("deprovisioning", false)]
    [InlineData("rebooting", false)]            // a state this build does not know is not the one waited for
    [InlineData("available", true)]
    public void A_state_wait_ends_on_that_state(string state, bool done)
    {
        var verdict = HostWaits.StateIs(ProvisioningState.Available)(Host(state));

        Assert.Equal(new HostWaits.Verdict(done, null), verdict);
    }

    [Fact]
    public void A_host_in_error_fails_the_wait_with_its_error_type_and_message()
    {
        var host = Host("available", operational: "error", errorType: "firmware error", errorMessage: "bad flash");

        Assert.Equal(new HostWaits.Verdict(true, "firmware error: bad flash"), HostWaits.StateIs(ProvisioningState.Available)(host));
    }

    [Theory]
    [InlineData("provisioned", "http://i/new", true)]
    [InlineData("provisioned", "http://i/old", false)]   // still the image before: the new one is not written yet
    [InlineData("provisioning", "http://i/new", false)]
    public void Provisioned_means_this_image(string state, string image, bool done)
    {
        var host = Host(state, image: image);

        Assert.Equal(done, ProvisionCommands.Provisioned(host, "http://i/new").Done);
    }

    private static HostResponse Host(string state, string operational = "OK", string? errorType = null, string? errorMessage = null,
        string? image = null)
    {
        var provisioning = new JsonObject { ["state"] = state };
        if (image is not null)
        {
            provisioning["image"] = new JsonObject { ["url"] = image, ["checksum"] = "a" };
        }
        var status = new JsonObject
        {
            ["provisioning"] = provisioning, ["operationalStatus"] = operational, ["errorType"] = errorType, ["errorMessage"] = errorMessage,
        };
        return new JsonObject { ["name"] = "h", ["status"] = status }.Deserialize(DaemonJson.Shape<HostResponse>())!;
    }
}
