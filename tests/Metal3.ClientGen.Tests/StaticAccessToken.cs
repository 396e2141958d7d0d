using Microsoft.Kiota.Abstractions.Authentication;

namespace Metal3.ClientGen.Tests;

/// <summary>
/// The daemon's token, for Kiota's bearer provider. Loopback only: the daemon under test listens on 127.0.0.1 over
/// HTTP, so every host is allowed.
/// </summary>
public sealed class StaticAccessToken(string token) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default) => Task.FromResult(token);
}
