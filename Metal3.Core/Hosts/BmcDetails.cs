namespace Metal3.Core.Hosts;

/// <summary>How to reach the BMC. The password lives apart from the spec (encrypted), see <c>credentialsSet</c>.</summary>
public sealed record BmcDetails
{
    public required string Address { get; init; }
    public string? Username { get; init; }
    public bool DisableCertificateVerification { get; init; }
}
