using Metal3.Core.Bmc;

namespace Metal3.Drivers.Fake;

/// <summary>The fake driver as data: power and boot device of a simulated machine named by the host; no credentials.</summary>
public sealed class FakeDescriptor() : BmcDriverDescriptor(
    [BmcDriverKind.Fake],
    BmcCapabilities.Power | BmcCapabilities.BootDevice,
    needsCredentials: false,
    lacking: "the fake BMC has no inventory or virtual media; its simulated agent inspects")
{
    public override IEnumerable<BmcFieldError> Validate(BmcAddress address, string? username, string? password)
    {
        if (address.Path.Length > 0)
        {
            yield return new(BmcField.Address, "a fake:// address is fake://ID[?options] with no path");
        }
    }
}
