using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Metal3.Data;
using Metal3.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Metal3.Server.Auth;

/// <summary>
/// API tokens by their SHA-256. Tokens are 256 random bits, so a fast hash is enough; validated tokens are cached
/// for a short while so a busy API does not query the database on every request.
/// </summary>
public sealed class TokenStore(IDbContextFactory<Metal3DbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string Role, DateTimeOffset Until)> _cache = new();

    public const string Prefix = "m3_";

    public static string NewToken() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<string?> RoleOfAsync(string token, CancellationToken ct)
    {
        string hash = Hash(token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now)
        {
            return hit.Role;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string? role = await db.ApiTokens.AsNoTracking().Where(t => t.Sha256 == hash).Select(t => t.Role).FirstOrDefaultAsync(ct);
        if (role is not null)
        {
            _cache[hash] = (role, now + CacheFor);
        }
        return role;
    }

    public async Task<ApiTokenRecord> AddAsync(string name, string role, string token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = new ApiTokenRecord
        {
            Id = Guid.NewGuid(),
            Name = name,
            Role = role,
            Sha256 = Hash(token),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    public async Task EnsureAsync(string name, string role, string token, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        string hash = Hash(token);
        if (!await db.ApiTokens.AnyAsync(t => t.Sha256 == hash, ct))
        {
            await AddAsync(name, role, token, ct);
        }
    }

    public async Task<List<ApiTokenRecord>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().OrderBy(t => t.CreatedAt).ToListAsync(ct);
    }
}
