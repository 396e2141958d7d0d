namespace Metal3.Contracts.Api;

public sealed record BmcResponse(string Address, string? Username, bool CredentialsSet, bool DisableCertificateVerification);
