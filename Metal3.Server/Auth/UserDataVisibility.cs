using System.Security.Claims;
using Metal3.Contracts.Api;

namespace Metal3.Server.Auth;

/// <summary>
/// <c>userData</c> is write-only for readers: cloud-init data often carries passwords and join tokens, and a reader token
/// is what dashboards and monitoring hold. Admins see it, since they may write it and apply files that round-trip it
/// (<c>metal3ctl hosts get -o yaml</c>, edit, <c>enroll</c>); everyone sees <c>userDataSet</c>.
/// </summary>
public static class UserDataVisibility
{
    public static bool SeesUserData(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    public static HostResponse For(this HostResponse host, ClaimsPrincipal user) =>
        user.SeesUserData() ? host : host with { UserData = null };

    public static ClaimResponse For(this ClaimResponse claim, ClaimsPrincipal user) =>
        user.SeesUserData() ? claim : claim with { UserData = null };

    public static HostSetResponse For(this HostSetResponse set, ClaimsPrincipal user) =>
        user.SeesUserData() ? set : set with { Template = set.Template with { UserData = null } };
}
