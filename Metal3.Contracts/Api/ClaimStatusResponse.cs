using Metal3.Core.Claims;

namespace Metal3.Contracts.Api;

/// <param name="Phase">Pending, Bound, Provisioned or Releasing.</param>
/// <param name="Host">The bound host's name, while there is one.</param>
/// <param name="Message">Why the claim is where it is.</param>
public sealed record ClaimStatusResponse(ClaimPhase Phase, string? Host, string? Message);
