using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Metal3.Core.Hosts;

namespace Metal3.Core.HostSets;

/// <summary>What every claim of a host set provisions on its host, and the labels the claims carry.</summary>
public sealed record HostSetTemplate
{
    public required ImageSpec Image { get; init; }
    public string? UserData { get; init; }
    public string? NetworkData { get; init; }
    public string? MetaData { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// A short digest of the template. A claim keeps the hash of the template it was made from, so the set knows which
    /// claims are outdated without comparing specs. Labels are sorted first: the same template always hashes the same.
    /// </summary>
    public string Hash()
    {
        var canonical = new
        {
            Image.Url,
            Image.Checksum,
            ChecksumType = Image.ChecksumType.ToString(),
            Format = Image.Format?.ToString(),
            UserData,
            NetworkData,
            MetaData,
            Labels = new SortedDictionary<string, string>(Labels.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal),
        };
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(canonical)));
        return Convert.ToHexStringLower(digest)[..16];
    }
}
