using System.IO.Compression;
using System.Security.Cryptography;
using Metal3.Agent.Tests.Support;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Tests.Imaging;

/// <summary>One 24 MiB raw image (random, with a zero run, so compressors have something to do) in every served format.</summary>
public static class TestImages
{
    public const int Size = 24 << 20;

    public static readonly Lazy<byte[]> Raw = new(() =>
    {
        byte[] image = new byte[Size];
        new Random(7).NextBytes(image.AsSpan(0, Size / 2));
        image.AsSpan(Size / 2, Size / 4).Clear();
        new Random(8).NextBytes(image.AsSpan(Size * 3 / 4));
        return image;
    });

    private static readonly Dictionary<ImageFormat, byte[]> Compressed = [];

    public static byte[] In(ImageFormat format)
    {
        lock (Compressed)
        {
            if (!Compressed.TryGetValue(format, out byte[]? bytes))
            {
                Compressed[format] = bytes = format switch
                {
                    ImageFormat.Raw => Raw.Value,
                    ImageFormat.RawGz => Gzip(Raw.Value),
                    ImageFormat.RawXz => Tool("xz", "-1", "-c"),
                    ImageFormat.RawZst => Tool("zstd", "-3", "-q", "-c"),
                    _ => throw new ArgumentOutOfRangeException(nameof(format)),
                };
            }
            return bytes;
        }
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest))
        {
            gz.Write(raw);
        }
        return output.ToArray();
    }

    /// <summary>The Debian tool's own output (xz-utils, zstd), so the agent is tested against what image builders make.</summary>
    private static byte[] Tool(string tool, params string[] args)
    {
        string input = Path.GetTempFileName();
        string output = input + ".out";
        try
        {
            File.WriteAllBytes(input, Raw.Value);
            var (code, text) = TestDisk.Run("sh", "-c", $"{tool} {string.Join(' ', args)} '{input}' > '{output}'");
            Assert.True(code == 0, $"{tool} failed: {text}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }
}
