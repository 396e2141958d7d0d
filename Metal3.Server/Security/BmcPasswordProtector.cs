using Microsoft.AspNetCore.DataProtection;

namespace Metal3.Server.Security;

/// <summary>BMC passwords at rest: ASP.NET Data Protection with a purpose of their own.</summary>
public sealed class BmcPasswordProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Metal3.BmcPassword.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string protectedPassword) => _protector.Unprotect(protectedPassword);

    /// <summary>Whether <paramref name="password"/> is the one stored; false when the stored one cannot be read (lost keys).</summary>
    public bool Matches(string protectedPassword, string password)
    {
        try
        {
            return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(Unprotect(protectedPassword)), System.Text.Encoding.UTF8.GetBytes(password));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
