using System.Text.Json.Nodes;
using Metal3.Cli.Hosts;

namespace Metal3.Cli.Tests.Hosts;

public class HostSpecsTests
{
    private static readonly JsonObject Stored = JsonNode.Parse("""
        {"name": "a", "labels": {}, "bootMacAddress": "52:54:00:aa:bb:cc",
         "bmc": {"address": "fake://a", "username": "u", "credentialsSet": true, "disableCertificateVerification": false},
         "online": false, "bootMode": "UEFI", "image": {"url": "http://i/x", "checksum": "abcd", "checksumType": "auto", "format": null},
         "rootDeviceHints": null, "userData": null, "networkData": null, "metaData": null, "automatedCleaningMode": "metadata",
         "externallyProvisioned": false, "consumerRef": null, "resourceVersion": "9", "createdAt": "2026-01-01T00:00:00Z",
         "status": {"provisioning": {"state": "available"}}}
        """)!.AsObject();

    [Fact]
    public void A_minimal_file_host_equals_the_stored_host_with_its_defaults_and_normalised_values()
    {
        var file = JsonNode.Parse("""
            {"name": "a", "bootMacAddress": "52-54-00-AA-BB-CC", "bmc": {"address": "fake://a", "username": "u", "password": "p"},
             "image": {"url": "http://i/x", "checksum": "ABCD"}}
            """)!.AsObject();

        Assert.True(HostSpecs.SameSpec(file, Stored));
    }

    [Theory]
    [InlineData("online", "true")]
    [InlineData("labels", """{"rack": "r1"}""")]
    [InlineData("image", "null")]
    [InlineData("consumerRef", "\"c\"")]
    [InlineData("bootMode", "\"legacy\"")]
    public void Any_spec_difference_is_seen(string field, string json)
    {
        var file = HostSpecs.RequestBody(Stored);
        file[field] = JsonNode.Parse(json);

        Assert.False(HostSpecs.SameSpec(file, Stored));
    }

    [Fact]
    public void The_request_body_drops_what_the_daemon_writes()
    {
        var body = HostSpecs.RequestBody(Stored);

        Assert.Null(body["resourceVersion"]);
        Assert.Null(body["status"]);
        Assert.False(body["bmc"]!.AsObject().ContainsKey("credentialsSet"));
        Assert.Equal("fake://a", body["bmc"]!["address"]!.GetValue<string>());
    }
}
