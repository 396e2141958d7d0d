namespace Metal3.Core.Bmc;

/// <summary>What the daemon knows about one BMC when it connects: where, who, and whether to check its certificate.</summary>
public sealed record BmcTarget(BmcAddress Address, BmcCredentials Credentials, bool DisableCertificateVerification);
