namespace Metal3.Server.Auth;

public static class Roles
{
    public const string Admin = "admin";
    public const string Reader = "reader";

    /// <summary>Policy names: reading needs any role, writing needs admin.</summary>
    public const string CanRead = "read";
    public const string CanWrite = "write";
}
