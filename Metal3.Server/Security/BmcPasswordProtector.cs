using Microsoft.AspNetCore.DataProtection;

namespace Metal3.Server.Security;

/// <summary>BMC passwords at rest: ASP.NET Data Protection with a purpose of their own.</summary>
public sealed class BmcPasswordProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Metal3.BmcPassword.v1");

    public string Protect(string password) => _protector.Protect(password);

    public string Unprotect(string protectedPassword) => _protector.Unprotect(protectedPassword);
}
