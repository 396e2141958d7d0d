using System.IO.Compression;
using Metal3.Core.Hosts;
using SharpCompress.Compressors.Xz;

namespace Metal3.Agent.Imaging;

/// <summary>Image formats by their magic bytes, and the decompressor for each.</summary>
public static class ImageFormats
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int MagicLength = 6;

    public static ImageFormat Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => ImageFormat.RawGz,                                 // RFC 1952 §2.3.1 ID1 ID2
        [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => ImageFormat.RawXz, // xz file format §2.1.1.1
        [0x28, 0xb5, 0x2f, 0xfd, ..] => ImageFormat.RawZst,                    // RFC 8878 §3.1.1 magic 0xFD2FB528 LE
        [(byte)'Q', (byte)'F', (byte)'I', 0xfb, ..] => ImageFormat.Qcow2,      // qcow2 header "QFI\xfb"
        _ => ImageFormat.Raw,
    };

    /// <summary>The raw disk bytes of <paramref name="compressed"/>.</summary>
    public static Stream Decompress(Stream compressed, ImageFormat format) => format switch
    {
        ImageFormat.RawGz => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
        ImageFormat.RawXz => new XZStream(compressed),
        ImageFormat.RawZst => NativeZstdStream.TryCreate(compressed)
            ?? new ZstdSharp.DecompressionStream(compressed, bufferSize: 1 << 20, checkEndOfStream: true, leaveOpen: true),
        ImageFormat.Raw => compressed,
        _ => throw new ImageException($"{format} images are not streamed; they are converted with qemu-img"),
    };
}
