namespace Metal3.Server.Auth;

/// <summary>What start-up found of a token it is told to have (the admin token file or setting).</summary>
public enum TokenPresence
{
    Present,
    /// <summary>Revoked through the API: it stays so, whatever file or setting still holds it.</summary>
    Revoked,
}
