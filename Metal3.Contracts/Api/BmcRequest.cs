namespace Metal3.Contracts.Api;

public sealed record BmcRequest
{
    public string? Address { get; init; }
    public string? Username { get; init; }
    /// <summary>Write-only. Omitted on PUT/PATCH: the stored password is kept.</summary>
    public string? Password { get; init; }
    public bool? DisableCertificateVerification { get; init; }
    /// <summary>Read-only in responses; ignored on input.</summary>
    public bool? CredentialsSet { get; init; }
}
