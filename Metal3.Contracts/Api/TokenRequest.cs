using Metal3.Core.Hosts;

namespace Metal3.Contracts.Api;

public sealed record TokenRequest(string? Name, string? Role);
