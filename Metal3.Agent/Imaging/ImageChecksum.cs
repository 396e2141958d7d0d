using System.Security.Cryptography;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Imaging;

/// <summary>The expected digest of the image file as served (compressed images: of the compressed file, as Ironic does).</summary>
public sealed record ImageChecksum(HashAlgorithmName Algorithm, string Hex)
{
    /// <summary><c>auto</c> picks the algorithm by the digest's length: 32 hex digits MD5, 64 SHA-256, 128 SHA-512.</summary>
    public static ImageChecksum From(string checksum, ChecksumType type)
    {
        string hex = checksum.Trim().ToLowerInvariant();
        var algorithm = type switch
        {
            ChecksumType.Md5 => HashAlgorithmName.MD5,
            ChecksumType.Sha256 => HashAlgorithmName.SHA256,
            ChecksumType.Sha512 => HashAlgorithmName.SHA512,
            _ => hex.Length switch
            {
                32 => HashAlgorithmName.MD5,
                64 => HashAlgorithmName.SHA256,
                128 => HashAlgorithmName.SHA512,
                _ => throw new ImageException($"cannot tell the checksum type of a {hex.Length}-digit checksum; set checksumType"),
            },
        };
        if (!hex.All(Uri.IsHexDigit))
        {
            throw new ImageException("the checksum is not hexadecimal");
        }
        return new ImageChecksum(algorithm, hex);
    }

    /// <summary>
    /// Metal3 also accepts a URL to a checksum file (<c>sha256sum</c> output): the line naming the image's file, or the
    /// only digest in the file.
    /// </summary>
    public static async Task<ImageChecksum> ResolveAsync(HttpClient http, ImageSpec image, CancellationToken ct)
    {
        if (!image.Checksum.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !image.Checksum.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return From(image.Checksum, image.ChecksumType);
        }
        string file = Path.GetFileName(new Uri(image.Url).AbsolutePath);
        var lines = (await http.GetStringAsync(image.Checksum, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = lines.FirstOrDefault(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Any(f => f.TrimStart('*') == file))
            ?? (lines.Length == 1 ? lines[0] : throw new ImageException($"{image.Checksum} names no checksum for {file}"));
        return From(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], image.ChecksumType);
    }
}
