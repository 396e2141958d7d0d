using Metal3.Drivers.Ipmi.Crypto;

namespace Metal3.Drivers.Ipmi.Rakp;

/// <summary>The BMC's answer to RMCP+ Open Session Request.</summary>
internal sealed record OpenSessionResponse(
    byte Tag,
    byte Status,
    byte MaxPrivilege,
    uint ConsoleSessionId,
    uint ManagedSessionId,
    AuthAlgorithm Auth,
    IntegrityAlgorithm Integrity,
    ConfidentialityAlgorithm Confidentiality);
