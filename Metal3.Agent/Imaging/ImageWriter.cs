using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Metal3.Core.Hosts;
using Microsoft.Win32.SafeHandles;

namespace Metal3.Agent.Imaging;

/// <summary>
/// Streams an image from HTTP onto a disk (or a file): download, checksum and decompression run on one side, disk
/// writes on the other, with a few large buffers between them so the network and the disk are busy at the same time.
/// Every write is a whole buffer at a buffer-aligned offset, except the last. A checksum mismatch wipes what was
/// written and fails: a half-trusted image must never boot.
/// </summary>
public sealed class ImageWriter(HttpClient http)
{
    public const int BufferSize = 8 << 20;
    private const int Buffers = 4;

    /// <summary>Called with (bytes written, total bytes when known) as the write goes on.</summary>
    public delegate void Progress(long written, long? total);

    public async Task<WriteResult> WriteAsync(ImageSpec image, string target, Progress? progress, CancellationToken ct)
    {
        var expected = await ImageChecksum.ResolveAsync(http, image, ct);
        using var hash = IncrementalHash.CreateHash(expected.Algorithm);
        await using var download = await ResumableHttpStream.OpenAsync(http, new Uri(image.Url), ct);
        var hashed = new HashingStream(download, hash);

        byte[] head = new byte[ImageFormats.MagicLength];
        int headLength = await ReadFullAsync(hashed, head, ct);
        var format = image.Format ?? ImageFormats.Sniff(head.AsSpan(0, headLength));
        var source = new PrefixedStream(head.AsMemory(0, headLength), hashed);

        long written;
        if (format == ImageFormat.Qcow2)
        {
            written = await ConvertQcow2Async(source, download.ContentLength, target, progress, ct);
        }
        else
        {
            await using var raw = ImageFormats.Decompress(source, format);
            long? total = format == ImageFormat.Raw ? download.ContentLength : null;
            written = await CopyToDiskAsync(raw, target, total, progress, ct);
            // Drain what the decompressor did not need (trailing padding), so the checksum covers the whole file.
            byte[] rest = new byte[64 * 1024];
            while (await hashed.ReadAsync(rest, ct) > 0)
            {
            }
        }

        string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != expected.Hex)
        {
            DiskEraser.EraseMetadata(target, []);
            throw new ImageException($"checksum mismatch for {image.Url}: expected {expected.Algorithm.Name} {expected.Hex}, got {actual}; " +
                "the disk's metadata was wiped");
        }
        return new WriteResult(written, format, download.Resumes);
    }

    private static async Task<long> CopyToDiskAsync(Stream raw, string target, long? total, Progress? progress, CancellationToken ct)
    {
        using var disk = File.OpenHandle(target, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.Asynchronous);
        long capacity = DiskEraser.SizeOf(disk, target);
        bool isBlockDevice = RandomAccess.GetLength(disk) == 0 && capacity > 0;

        var free = Channel.CreateBounded<byte[]>(Buffers);
        var full = Channel.CreateBounded<(byte[] Buffer, int Length)>(Buffers);
        for (int i = 0; i < Buffers; i++)
        {
            free.Writer.TryWrite(GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    byte[] buffer = await free.Reader.ReadAsync(stop.Token);
                    int n = await ReadFullAsync(raw, buffer, stop.Token);
                    if (n == 0)
                    {
                        break;
                    }
                    await full.Writer.WriteAsync((buffer, n), stop.Token);
                    if (n < buffer.Length)
                    {
                        break;
                    }
                }
                full.Writer.Complete();
            }
            catch (Exception e)
            {
                full.Writer.Complete(e);
            }
        }, stop.Token);

        long offset = 0;
        try
        {
            await foreach (var (buffer, length) in full.Reader.ReadAllAsync(stop.Token))
            {
                if (isBlockDevice && offset + length > capacity)
                {
                    throw new ImageException($"the image is larger than {target} ({capacity} bytes)");
                }
                await RandomAccess.WriteAsync(disk, buffer.AsMemory(0, length), offset, stop.Token);
                offset += length;
                free.Writer.TryWrite(buffer);
                progress?.Invoke(offset, total);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            try
            {
                await reader;
            }
            catch (OperationCanceledException)
            {
            }
        }
        using (var fs = new FileStream(disk, FileAccess.ReadWrite))
        {
            fs.Flush(flushToDisk: true);
        }
        return offset;
    }

    /// <summary>qcow2 cannot be written as it streams: it lands in a temporary file, then qemu-img writes it out raw.</summary>
    private static async Task<long> ConvertQcow2Async(Stream source, long? total, string target, Progress? progress, CancellationToken ct)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"metal3-image-{Guid.NewGuid():N}.qcow2");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                byte[] buffer = new byte[BufferSize];
                long copied = 0;
                int n;
                while ((n = await source.ReadAsync(buffer, ct)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                    copied += n;
                    progress?.Invoke(copied, total);
                }
            }
            var (code, output) = await Tools.RunAsync("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", "-t", "none", "-n", temp, target], ct);
            if (code != 0)
            {
                throw new ImageException($"qemu-img convert failed ({code}): {output}");
            }
            return new FileInfo(temp).Length;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<int> ReadFullAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[filled..], ct);
            if (n == 0)
            {
                break;
            }
            filled += n;
        }
        return filled;
    }
}
