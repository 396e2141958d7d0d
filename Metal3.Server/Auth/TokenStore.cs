using System.Security.Cryptography;
using System.Text;
using Metal3.Data;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Auth;

/// <summary>
/// API tokens by their SHA-256. Tokens are 256 random bits, so a fast hash is enough. Revoking keeps the row with its
/// <c>RevokedAt</c>: the hash stays known, so a token file read again at the next start is not let back in.
/// </summary>
public sealed class TokenStore(IDbContextFactory<Metal3DbContext> dbFactory, SqliteWriteGate writes, TimeProvider time)
{
    public const string Prefix = "m3_";

    /// <summary>How stale <c>lastUsedAt</c> may be: it is written at most this often per token.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    public static string NewToken() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The token with this hash unless it was revoked; an expired one is returned (the caller compares the time).</summary>
    public async Task<TokenIdentity?> FindLiveAsync(string hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking()
            .Where(t => t.Sha256 == hash && t.RevokedAt == null)
            .Select(t => new TokenIdentity(t.Id, t.Name, t.Role, t.ExpiresAt, t.LastUsedAt))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Sets <c>lastUsedAt</c> unless it is already within <see cref="LastUsedPrecision"/> of <paramref name="at"/>: the
    /// condition is in the UPDATE, so several daemons seeing the token at once write it once.
    /// </summary>
    public async Task RecordUseAsync(Guid id, DateTime at, CancellationToken ct)
    {
        var before = at - LastUsedPrecision;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await writes.WriteAsync(() => db.ApiTokens
            .Where(t => t.Id == id && (t.LastUsedAt == null || t.LastUsedAt < before))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, at), ct), ct);
    }

    /// <summary>Null when the name is taken (by a live token or a revoked one: names are never reused).</summary>
    public async Task<ApiTokenRecord?> AddAsync(string name, string role, string token, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = new ApiTokenRecord
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            Sha256 = Hash(token),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt?.UtcDateTime,
        };
        db.ApiTokens.Add(record);
        try
        {
            await writes.WriteAsync(() => db.SaveChangesAsync(ct), ct);
            return record;
        }
        catch (DbUpdateException e) when (UniqueViolations.Is(e))
        {
            return null;
        }
    }

    /// <summary>Adds the token unless its hash is known; a known one that was revoked stays revoked.</summary>
    public async Task<TokenPresence> EnsureAsync(string name, string role, string token, CancellationToken ct)
    {
        string hash = Hash(token);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.ApiTokens.AsNoTracking().Where(t => t.Sha256 == hash).Select(t => new { t.RevokedAt }).FirstOrDefaultAsync(ct) is { } known)
            {
                return known.RevokedAt is null ? TokenPresence.Present : TokenPresence.Revoked;
            }
        }
        // Another daemon sharing the database may add the same token at the same moment; either row will do.
        return await AddAsync(name, role, token, expiresAt: null, ct) is null && await FindLiveAsync(hash, ct) is null
            ? throw new InvalidOperationException($"an API token named '{name}' exists already with another secret")
            : TokenPresence.Present;
    }

    /// <summary>The tokens not revoked, oldest first (expired ones included: they say when they expired).</summary>
    public async Task<List<ApiTokenRecord>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.RevokedAt == null).OrderBy(t => t.CreatedAt).ToListAsync(ct);
    }

    /// <summary>False when no live token has the name (never had it, or revoked already).</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int revoked = await writes.WriteAsync(() => db.ApiTokens
            .Where(t => t.Name == name && t.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.RevokedAt, now), ct), ct);
        return revoked > 0;
    }
}
