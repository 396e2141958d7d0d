using System.Security.Cryptography;
using Metal3.Core.Bmc;
using Metal3.Core.Hosts;
using Metal3.Server.Security;

namespace Metal3.Server.Jobs;

/// <summary>What a driver needs to reach a host's BMC, from its spec and its stored (protected) password.</summary>
public sealed class BmcTargets(BmcPasswordProtector passwords)
{
    /// <summary>Null when the address does not parse or the stored password cannot be decrypted (keys lost).</summary>
    public BmcTarget? For(HostSpec spec, string? protectedPassword)
    {
        if (!BmcAddress.TryParse(spec.Bmc.Address, out var address, out _))
        {
            return null;
        }
        string? password = null;
        if (protectedPassword is not null)
        {
            try
            {
                password = passwords.Unprotect(protectedPassword);
            }
            catch (CryptographicException)
            {
                return null;
            }
        }
        return new BmcTarget(address!, new BmcCredentials(spec.Bmc.Username, password), spec.Bmc.DisableCertificateVerification);
    }
}
