namespace Metal3.Contracts.Api;

/// <summary>
/// <c>POST /api/v1/discovered/{id}/enroll</c>: the operator's part of a host (name, BMC credentials, labels); the boot MAC
/// defaults to the machine's first NIC with a link (else its first MAC), and the BMC address to <c>ipmi://</c> at the
/// reported BMC address.
/// </summary>
public sealed record DiscoveredEnrollRequest
{
    public string? Name { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
    public BmcRequest? Bmc { get; init; }
    public string? BootMacAddress { get; init; }
    public string? BootMode { get; init; }
    public bool? Online { get; init; }
}
