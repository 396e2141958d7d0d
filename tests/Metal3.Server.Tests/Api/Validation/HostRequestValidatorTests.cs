using System.Text.Json.Nodes;
using Metal3.Drivers.Fake;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Redfish;
using Metal3.Server.Api;
using Metal3.Contracts.Api;
using Metal3.Server.Api.Validation;

namespace Metal3.Server.Tests.Api.Validation;

/// <summary>
/// Each row merge-patches one mistake into a valid host and asserts the one field the validator reports.
/// </summary>
public class HostRequestValidatorTests
{
    private const string Valid = """
        {"name": "worker-0", "labels": {"rack": "r1", "example.com/role": "worker"}, "online": true,
         "bootMacAddress": "52:54:00:12:34:56", "bootMode": "UEFI",
         "bmc": {"address": "ipmi://198.18.0.10:623", "username": "admin", "password": "secret"},
         "image": {"url": "http://images.example/img.raw", "checksum": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                   "checksumType": "sha256", "format": "raw"},
         "rootDeviceHints": {"deviceName": "/dev/sda", "minSizeGigabytes": 20},
         "userData": "#cloud-config", "automatedCleaningMode": "metadata", "consumerRef": "cluster-a/machine-0"}
        """;

    private static readonly string Sha256 = new('a', 64);
    private static readonly string Big = new('x', HostRequestValidator.MaxDataBytes + 1);

    public static TheoryData<string, string> BadInputs => new()
    {
        // name: DNS-1123 label
        { """{"name": null}""", "name" },
        { """{"name": ""}""", "name" },
        { """{"name": "Worker-0"}""", "name" },
        { """{"name": "worker_0"}""", "name" },
        { """{"name": "-worker"}""", "name" },
        { """{"name": "worker-"}""", "name" },
        { """{"name": "worker.0"}""", "name" },
        { $$"""{"name": "{{new string('a', 64)}}"}""", "name" },
        { """{"name": "wörker"}""", "name" },
        // labels: Kubernetes syntax
        { """{"labels": {"a b": "c"}}""", "labels.a b" },
        { """{"labels": {"": "c"}}""", "labels." },
        { """{"labels": {"-rack": "r1"}}""", "labels.-rack" },
        { $$$"""{"labels": {"{{{new string('k', 64)}}}": "v"}}""", $"labels.{new string('k', 64)}" },
        { """{"labels": {"Example.COM/rack": "r1"}}""", "labels.Example.COM/rack" },
        { """{"labels": {"/rack": "r1"}}""", "labels./rack" },
        { """{"labels": {"rack": "r 1"}}""", "labels.rack" },
        { """{"labels": {"rack": "-r1"}}""", "labels.rack" },
        { $$$"""{"labels": {"rack": "{{{new string('v', 64)}}}"}}""", "labels.rack" },
        // bootMacAddress
        { """{"bootMacAddress": "52:54:00:12:34"}""", "bootMacAddress" },
        { """{"bootMacAddress": "52:54:00:12:34:56:78"}""", "bootMacAddress" },
        { """{"bootMacAddress": "52:54:00-12:34:56"}""", "bootMacAddress" },
        { """{"bootMacAddress": "52.54.00.12.34.56"}""", "bootMacAddress" },
        { """{"bootMacAddress": "5254.0012.3456"}""", "bootMacAddress" },
        { """{"bootMacAddress": "zz:54:00:12:34:56"}""", "bootMacAddress" },
        { """{"bootMacAddress": ""}""", "bootMacAddress" },
        // enumerations
        { """{"bootMode": "bios"}""", "bootMode" },
        { """{"bootMode": "uefi"}""", "bootMode" },
        { """{"automatedCleaningMode": "full"}""", "automatedCleaningMode" },
        // bmc
        { """{"bmc": null}""", "bmc" },
        { """{"bmc": {"address": null}}""", "bmc.address" },
        { """{"bmc": {"address": "198.18.0.10"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmx://198.18.0.10"}}""", "bmc.address" },
        { """{"bmc": {"address": "http://198.18.0.10"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmi://198.18.0.10:0"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmi://198.18.0.10:65536"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmi://198.18.0.10/x"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmi://root:pw@198.18.0.10"}}""", "bmc.address" },
        { """{"bmc": {"address": "redfish://bmc/Systems/1"}}""", "bmc.address" },
        { """{"bmc": {"address": "ipmi://"}}""", "bmc.address" },
        { """{"bmc": {"username": null}}""", "bmc.username" },
        { """{"bmc": {"username": ""}}""", "bmc.username" },
        { """{"bmc": {"password": null}}""", "bmc.password" },
        { """{"bmc": {"password": ""}}""", "bmc.password" },
        { """{"bmc": {"username": "a-very-long-ipmi-user"}}""", "bmc.username" },
        { """{"bmc": {"password": "an-ipmi-password-of-21"}}""", "bmc.password" },
        // image
        { """{"image": {"url": null}}""", "image.url" },
        { """{"image": {"url": "ftp://images/img.raw"}}""", "image.url" },
        { """{"image": {"url": "images/img.raw"}}""", "image.url" },
        { """{"image": {"url": "file:///img.raw"}}""", "image.url" },
        { """{"image": {"checksum": null}}""", "image.checksum" },
        { """{"image": {"checksum": "not-hex-at-all"}}""", "image.checksum" },
        { """{"image": {"checksumType": "md5"}}""", "image.checksum" },
        { $$$"""{"image": {"checksumType": "sha512", "checksum": "{{{Sha256}}}"}}""", "image.checksum" },
        { """{"image": {"checksumType": "auto", "checksum": "abcdef"}}""", "image.checksum" },
        { """{"image": {"checksumType": "crc32"}}""", "image.checksumType" },
        { """{"image": {"format": "iso"}}""", "image.format" },
        // root device hints
        { """{"rootDeviceHints": {"deviceName": "sda"}}""", "rootDeviceHints.deviceName" },
        { """{"rootDeviceHints": {"deviceName": "/dev/"}}""", "rootDeviceHints.deviceName" },
        { """{"rootDeviceHints": {"deviceName": "/dev/../etc/passwd"}}""", "rootDeviceHints.deviceName" },
        { """{"rootDeviceHints": {"hctl": "0:0:0"}}""", "rootDeviceHints.hctl" },
        { """{"rootDeviceHints": {"hctl": "a:b:c:d"}}""", "rootDeviceHints.hctl" },
        { """{"rootDeviceHints": {"minSizeGigabytes": 0}}""", "rootDeviceHints.minSizeGigabytes" },
        { """{"rootDeviceHints": {"minSizeGigabytes": -5}}""", "rootDeviceHints.minSizeGigabytes" },
        { """{"rootDeviceHints": {"model": ""}}""", "rootDeviceHints.model" },
        { """{"rootDeviceHints": {"wwn": ""}}""", "rootDeviceHints.wwn" },
        // sizes
        { $$"""{"userData": "{{Big}}"}""", "userData" },
        { $$"""{"networkData": "{{Big}}"}""", "networkData" },
        { $$"""{"metaData": "{{Big}}"}""", "metaData" },
        { $$"""{"consumerRef": "{{new string('c', 254)}}"}""", "consumerRef" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Each_bad_input_is_reported_on_its_field(string mistake, string field)
    {
        var result = Validate(mistake);

        Assert.False(result.IsValid);
        Assert.Equal([field], result.Errors.Select(e => e.PropertyName).Distinct().ToArray());
    }

    [Fact]
    public void The_table_has_at_least_sixty_rows() => Assert.True(BadInputs.Count() >= 60);

    [Fact]
    public void The_valid_host_is_valid() => Assert.True(Validate("{}").IsValid);

    [Theory]
    [InlineData("""{"bmc": {"address": "fake://host-1", "username": null, "password": null}}""")]
    [InlineData("""{"bmc": {"address": "redfish+http://127.0.0.1:8000/redfish/v1/Systems/1", "username": "a-long-redfish-username"}}""")]
    [InlineData("""{"image": {"checksumType": "auto", "checksum": "0123456789ABCDEF0123456789ABCDEF"}}""")]
    [InlineData("""{"image": null, "rootDeviceHints": null, "labels": null, "bootMacAddress": null}""")]
    [InlineData("""{"bootMacAddress": "52-54-00-AB-CD-EF", "bootMode": "legacy"}""")]
    [InlineData("""{"labels": {"example.com/rack": "", "a.b_c-d": "X.y_z-1"}}""")]
    public void Edge_cases_that_are_valid(string change) => Assert.True(Validate(change).IsValid);

    [Fact]
    public void A_stored_password_may_be_omitted_on_update()
    {
        var request = Bind("""{"bmc": {"password": null}}""");
        var context = new FluentValidation.ValidationContext<HostRequest>(request);
        context.RootContextData[HostRequestValidator.PasswordStored] = true;
        Assert.True(NewValidator().Validate(context).IsValid);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var result = Validate("""{"name": "X", "bootMacAddress": "1", "bmc": {"address": "x://y"}, "image": {"url": "u"}}""");
        Assert.Equal(["bmc.address", "bootMacAddress", "image.url", "name"],
            result.Errors.Select(e => e.PropertyName).Distinct().Order().ToArray());
    }

    private static FluentValidation.Results.ValidationResult Validate(string mistake) =>
        NewValidator().Validate(Bind(mistake));

    private static HostRequestValidator NewValidator() =>
        new([IpmiDriver.Descriptor, RedfishDriver.Descriptor, FakeDriver.Descriptor]);

    private static HostRequest Bind(string mistake)
    {
        var merged = MergePatch.Apply(JsonNode.Parse(Valid), JsonNode.Parse(mistake))!;
        var (request, unknown, error) = JsonBody.Bind<HostRequest>(merged);
        Assert.Null(error);
        Assert.Empty(unknown);
        return request!;
    }
}
