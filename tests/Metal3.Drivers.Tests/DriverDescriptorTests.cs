using Metal3.Core.Bmc;
using Metal3.Drivers.Fake;
using Metal3.Drivers.Ipmi;
using Metal3.Drivers.Redfish;

namespace Metal3.Drivers.Tests;

public sealed class DriverDescriptorTests
{
    private static readonly DateTimeOffset Deadline = DateTimeOffset.UtcNow.AddSeconds(5);

    private static readonly BmcDriverDescriptor[] All = [IpmiDriver.Descriptor, RedfishDriver.Descriptor, FakeDriver.Descriptor];

    private static BmcDriverDescriptor DriverFor(BmcAddress address) => All.Single(d => d.Kinds.Contains(address.Kind));

    [Fact]
    public void Every_address_kind_has_exactly_one_driver()
    {
        Assert.Equal(Enum.GetValues<BmcDriverKind>().Order(), All.SelectMany(d => d.Kinds).Order());
    }

    [Fact]
    public async Task A_capability_the_driver_does_not_declare_answers_unsupported_with_the_drivers_reason()
    {
        var fake = new FakeDriver(TimeProvider.System);
        Assert.True(BmcAddress.TryParse("fake://host-1", out var address, out _));
        var bmc = fake.Connect(new BmcTarget(address, new BmcCredentials(null, null), false));

        var inventory = await bmc.Inventory.ReadInventoryAsync(Deadline, default);
        var eject = await bmc.VirtualMedia.EjectMediaAsync(Deadline, default);

        Assert.Equal(BmcOutcome.Unsupported, inventory.Outcome);
        Assert.Contains("simulated agent inspects", inventory.Message, StringComparison.Ordinal);
        Assert.Equal(BmcOutcome.Unsupported, eject.Outcome);
        Assert.True((await bmc.Power.GetPowerAsync(Deadline, default)).IsOk);
    }

    [Fact]
    public void The_declared_capabilities_and_the_objects_a_driver_gives_must_agree()
    {
        var powerOnly = new BmcDriverDescriptor([BmcDriverKind.Fake], BmcCapabilities.Power);
        var stub = Unsupported.Connection("stub");

        Assert.Throws<InvalidOperationException>(() => powerOnly.Connection());
        Assert.Throws<InvalidOperationException>(() => powerOnly.Connection(power: stub.Power, boot: stub.Boot));
        Assert.Same(stub.Power, powerOnly.Connection(power: stub.Power).Power);
    }

    [Theory]
    [InlineData("sixteen-bytes-ok", "twenty-bytes-is-fine", new BmcField[0])]
    [InlineData("seventeen-bytes-x", "twenty-bytes-is-fine", new[] { BmcField.Username })]
    [InlineData("admin", "twenty-one-bytes-long", new[] { BmcField.Password })]
    [InlineData("ädmin-ädmin-ädm", "secret", new[] { BmcField.Username })] // 15 characters, 18 bytes in UTF-8
    public void Ipmi_judges_credentials_by_the_protocols_byte_limits(string username, string password, BmcField[] wrong)
    {
        Assert.True(BmcAddress.TryParse("ipmi://198.18.0.10", out var address, out _));

        var errors = IpmiDriver.Descriptor.Validate(address, username, password).ToList();

        Assert.Equal(wrong, errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("ipmi://198.18.0.10/path", "no path or query")]
    [InlineData("ipmi://198.18.0.10?x=1", "no path or query")]
    [InlineData("redfish://bmc/Systems/1", "must name a system under /redfish/v1/")]
    [InlineData("fake://x/y", "no path")]
    public void Each_driver_judges_the_path_of_its_addresses(string text, string expected)
    {
        Assert.True(BmcAddress.TryParse(text, out var address, out string parseError), parseError);
        var error = Assert.Single(DriverFor(address).Validate(address, "admin", "secret"));

        Assert.Equal(BmcField.Address, error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipmi://198.18.0.10:623")]
    [InlineData("redfish+https://bmc/redfish/v1/Systems/1")]
    [InlineData("redfish-virtualmedia://bmc")]
    [InlineData("fake://host-7?delayMs=10")]
    public void Well_formed_addresses_have_nothing_wrong(string text)
    {
        Assert.True(BmcAddress.TryParse(text, out var address, out _));

        Assert.Empty(DriverFor(address).Validate(address, "admin", "secret"));
    }

    [Fact]
    public void Redfish_takes_long_credentials_and_fake_needs_none()
    {
        Assert.True(BmcAddress.TryParse("redfish://bmc/redfish/v1/Systems/1", out var address, out _));

        Assert.Empty(RedfishDriver.Descriptor.Validate(address, new string('u', 64), new string('p', 64)));
        Assert.True(RedfishDriver.Descriptor.NeedsCredentials);
        Assert.False(FakeDriver.Descriptor.NeedsCredentials);
    }
}
