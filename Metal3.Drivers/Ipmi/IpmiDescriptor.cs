using System.Text;
using Metal3.Core.Bmc;

namespace Metal3.Drivers.Ipmi;

/// <summary>
/// The IPMI driver as data: power and boot device only (IPMI has no standard inventory or virtual media), an address
/// that is a host and port, and the credential limits of the protocol, so a too-long name is refused at enrollment
/// rather than at the first RAKP.
/// </summary>
public sealed class IpmiDescriptor() : BmcDriverDescriptor(
    [BmcDriverKind.Ipmi],
    BmcCapabilities.Power | BmcCapabilities.BootDevice,
    lacking: "IPMI has no standard inventory or virtual media; use a Redfish address for those")
{
    // IPMI v2.0 §13.17 / §22.28: user names are 16 bytes, passwords 20 bytes at most.
    public const int MaxUsernameBytes = 16;
    public const int MaxPasswordBytes = 20;

    public override IEnumerable<BmcFieldError> Validate(BmcAddress address, string? username, string? password)
    {
        if (address.Path.Length > 0 || address.Query.Length > 0)
        {
            yield return new(BmcField.Address, "an ipmi:// address has no path or query: ipmi://host[:port]");
        }
        if (username is not null && Encoding.UTF8.GetByteCount(username) > MaxUsernameBytes)
        {
            yield return new(BmcField.Username, $"an IPMI user name is at most {MaxUsernameBytes} bytes");
        }
        if (password is not null && Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            yield return new(BmcField.Password, $"an IPMI password is at most {MaxPasswordBytes} bytes");
        }
    }
}
