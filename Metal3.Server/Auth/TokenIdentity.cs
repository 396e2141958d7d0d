namespace Metal3.Server.Auth;

/// <summary>A live (not revoked) token as authentication needs it: who it is, what it may do, until when.</summary>
public sealed record TokenIdentity(Guid Id, string Name, string Role, DateTime? ExpiresAt, DateTime? LastUsedAt)
{
    /// <summary>How events and the audit log name what this token did.</summary>
    public string Actor => ActorOf(Name);

    public static string ActorOf(string tokenName) => "token:" + tokenName;
}
