using System.Security.Cryptography;

namespace Metal3.Drivers.Ipmi.Crypto;

/// <summary>
/// The cipher suites this driver speaks (IPMI v2.0 Table 22-20). Only suites that authenticate, sign and encrypt are
/// here: 3 (SHA-1) and 17 (SHA-256). Suite 0 ("none") is refused on purpose: it lets anyone on the network power
/// machines off.
/// </summary>
internal sealed record CipherSuite(
    byte Id,
    AuthAlgorithm Auth,
    IntegrityAlgorithm Integrity,
    ConfidentialityAlgorithm Confidentiality)
{
    public static readonly CipherSuite Suite3 =
        new(3, AuthAlgorithm.RakpHmacSha1, IntegrityAlgorithm.HmacSha1_96, ConfidentialityAlgorithm.AesCbc128);
    public static readonly CipherSuite Suite17 =
        new(17, AuthAlgorithm.RakpHmacSha256, IntegrityAlgorithm.HmacSha256_128, ConfidentialityAlgorithm.AesCbc128);

    /// <summary>Ours, best first: SHA-256 before SHA-1.</summary>
    public static readonly IReadOnlyList<CipherSuite> Supported = [Suite17, Suite3];

    /// <summary>The suite with exactly these algorithms, if we speak it.</summary>
    public static CipherSuite? Find(AuthAlgorithm auth, IntegrityAlgorithm integrity, ConfidentialityAlgorithm confidentiality) =>
        Supported.FirstOrDefault(s => s.Auth == auth && s.Integrity == integrity && s.Confidentiality == confidentiality);

    public static CipherSuite? FindById(byte id) => Supported.FirstOrDefault(s => s.Id == id);

    /// <summary>Length of the RAKP HMAC output and of K1/K2/SIK: 20 for SHA-1, 32 for SHA-256.</summary>
    public int KeyLength => Auth == AuthAlgorithm.RakpHmacSha256 ? 32 : 20;

    /// <summary>Length of the integrity AuthCode: 12 for HMAC-SHA1-96, 16 for HMAC-SHA256-128 (§13.28.4).</summary>
    public int IntegrityLength => Integrity == IntegrityAlgorithm.HmacSha256_128 ? 16 : 12;

    /// <summary>The RAKP 4 integrity check value uses the integrity algorithm's truncation (§13.28.1, §13.28.2).</summary>
    public int Rakp4IcvLength => IntegrityLength;

    /// <summary>The HMAC of the authentication algorithm (RAKP 2/3 auth codes, SIK, K1, K2, RAKP 4).</summary>
    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        Auth == AuthAlgorithm.RakpHmacSha256 ? HMACSHA256.HashData(key, data) : HMACSHA1.HashData(key, data);

    /// <summary>The HMAC of the integrity algorithm, written into <paramref name="destination"/> (full length).</summary>
    public int IntegrityHmac(ReadOnlySpan<byte> k1, ReadOnlySpan<byte> data, Span<byte> destination) =>
        Integrity == IntegrityAlgorithm.HmacSha256_128
            ? HMACSHA256.HashData(k1, data, destination)
            : HMACSHA1.HashData(k1, data, destination);

    public override string ToString() => $"cipher suite {Id}";
}
