using System.Collections.Concurrent;

namespace Metal3.Server.Auth;

/// <summary>
/// Bearer token to identity. A token looked up is trusted for <see cref="CacheFor"/> only: a revocation made through
/// any daemon sharing the database takes effect everywhere within a second, while a busy client costs at most two
/// lookups a second. Expiry is compared on every request, cached or not.
/// </summary>
public sealed class TokenAuthenticator(TokenStore store, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, (TokenIdentity Token, DateTimeOffset Until)> _cache = new();

    /// <summary>The token's identity; null when it is unknown, revoked or expired.</summary>
    public async Task<TokenIdentity?> AuthenticateAsync(string token, CancellationToken ct)
    {
        string hash = TokenStore.Hash(token);
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var hit) || hit.Until <= now)
        {
            if (await LookUpAsync(hash, now, ct) is not { } found)
            {
                _cache.TryRemove(hash, out _);
                return null;
            }
            hit = (found, now + CacheFor);
            _cache[hash] = hit;
        }
        return Expired(hit.Token, now) ? null : hit.Token;
    }

    private static bool Expired(TokenIdentity token, DateTimeOffset now) => token.ExpiresAt is { } expires && expires <= now.UtcDateTime;

    private async Task<TokenIdentity?> LookUpAsync(string hash, DateTimeOffset now, CancellationToken ct)
    {
        var found = await store.FindLiveAsync(hash, ct);
        // An expired token's attempts are no use of it.
        if (found is null || Expired(found, now) || found.LastUsedAt > now.UtcDateTime - TokenStore.LastUsedPrecision)
        {
            return found;
        }
        await store.RecordUseAsync(found.Id, now.UtcDateTime, ct);
        return found with { LastUsedAt = now.UtcDateTime };
    }
}
