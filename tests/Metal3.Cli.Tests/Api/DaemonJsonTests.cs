using System.Text.Json;
using Metal3.Cli.Api;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;

namespace Metal3.Cli.Tests.Api;

/// <summary>Reading what a newer (or leaner) daemon sends into the Contracts' types: nothing it adds is an error.</summary>
public class DaemonJsonTests
{
    private const string Newer = """
        {"name": "n0", "labels": {"rack": "r1"}, "online": true, "bootMode": "UEFIHttpBoot",
         "bmc": {"address": "fake://n0", "credentialsSet": false, "disableCertificateVerification": false},
         "resourceVersion": "4", "createdAt": "2026-01-01T00:00:00+00:00", "powerPolicy": {"cap": 300},
         "status": {"provisioning": {"state": "rebooting", "stage": 2}, "operationalStatus": "OK",
                    "errorType": null, "poweredOn": true, "goodCredentials": true}}
        """;

    [Fact]
    public void The_contracts_own_reading_refuses_a_state_it_does_not_know()
    {
        // Why metal3ctl reads with options of its own: the shared context throws on the first new enumeration value.
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(Newer, ApiJsonContext.Default.HostResponse));
    }

    [Fact]
    public void New_fields_are_skipped_and_new_enumeration_values_are_kept_by_name()
    {
        var host = JsonSerializer.Deserialize(Newer, DaemonJson.Shape<HostResponse>())!;

        Assert.Equal("n0", host.Name);
        Assert.Equal("4", host.ResourceVersion);
        Assert.True(host.Status.PoweredOn);
        Assert.Equal(OperationalStatus.Ok, host.Status.OperationalStatus);
        Assert.Equal("rebooting", OpenEnums.NameOf(host.Status.Provisioning.State));
        Assert.Equal("UEFIHttpBoot", OpenEnums.NameOf(host.BootMode));
        Assert.DoesNotContain(host.Status.Provisioning.State, Enum.GetValues<ProvisioningState>());
        Assert.DoesNotContain(host.BootMode, Enum.GetValues<BootMode>());
    }

    [Fact]
    public void An_unknown_name_is_one_value_and_two_unknown_names_are_two()
    {
        var first = OpenEnums.Parse<ProvisioningState>("draining");
        var again = OpenEnums.Parse<ProvisioningState>("draining");
        var other = OpenEnums.Parse<ProvisioningState>("quarantined");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal("quarantined", OpenEnums.NameOf(other));
        Assert.Equal(ProvisioningState.ExternallyProvisioned, OpenEnums.Parse<ProvisioningState>("externally provisioned"));
        Assert.Equal("externally provisioned", OpenEnums.NameOf(ProvisioningState.ExternallyProvisioned));
    }

    [Fact]
    public void A_host_known_only_by_name_reads_although_the_contract_marks_the_rest_required()
    {
        var host = JsonSerializer.Deserialize("""{"name":"gone-0","resourceVersion":"12"}""", DaemonJson.Shape<HostResponse>())!;

        Assert.Equal("gone-0", host.Name);
        Assert.Null(host.Status);
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize("""{"name":"gone-0","resourceVersion":"12"}""", ApiJsonContext.Default.HostResponse));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_still_an_error()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            """{"name":"x","status":{"provisioning":{"state":3}}}""", DaemonJson.Shape<HostResponse>()));
    }

    [Theory]
    [InlineData("2026-03-04T05:06:07+00:00")]
    [InlineData("2026-03-04T05:06:07.12+00:00")]
    [InlineData("2026-03-04T05:06:07.1234567+02:00")]
    public void A_timestamp_is_printed_as_the_daemon_wrote_it(string written)
    {
        var token = JsonSerializer.Deserialize($$"""{"name":"t","role":"reader","createdAt":"{{written}}"}""", DaemonJson.Shape<TokenResponse>())!;

        Assert.Equal(written, DaemonJson.Timestamp(token.CreatedAt));
    }
}
