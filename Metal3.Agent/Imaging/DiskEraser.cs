using Microsoft.Win32.SafeHandles;

namespace Metal3.Agent.Imaging;

/// <summary>
/// Erases disk metadata, as <c>wipefs --all</c> and Ironic's "metadata" cleaning do: zeroes the first and last MiB of the
/// disk and of each partition. That covers the MBR and the primary GPT (sectors 0-33), the backup GPT (the last 33
/// sectors), filesystem superblocks near a start (ext*, XFS, btrfs at 64 KiB, swap, LVM, ISO 9660 at 32 KiB) and md RAID
/// superblocks (0.90 and 1.0 near the end, 1.1 and 1.2 at the start).
/// </summary>
public static class DiskEraser
{
    public const int Span = 1 << 20;

    /// <param name="partitions">Each partition's start and length in bytes (from /sys/block/X/X1/start and size).</param>
    public static void EraseMetadata(string device, IEnumerable<(long Start, long Length)> partitions)
    {
        using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        long size = SizeOf(handle, device);
        foreach (var (start, length) in partitions)
        {
            ZeroEnds(handle, start, Math.Min(length, size - start));
        }
        ZeroEnds(handle, 0, size);
        using var fs = new FileStream(handle, FileAccess.ReadWrite);
        fs.Flush(flushToDisk: true);
    }

    /// <summary>The partitions Linux knows on <paramref name="diskName"/> (e.g. vda), in bytes, from sysfs.</summary>
    public static List<(long Start, long Length)> Partitions(string sysRoot, string diskName)
    {
        var result = new List<(long, long)>();
        string dir = Path.Combine(sysRoot, "sys/block", diskName);
        if (!Directory.Exists(dir))
        {
            return result;
        }
        foreach (string part in Directory.EnumerateDirectories(dir, diskName + "*"))
        {
            if (Inspection.Sysfs.ReadLong(Path.Combine(part, "start")) is { } start && Inspection.Sysfs.ReadLong(Path.Combine(part, "size")) is { } sectors)
            {
                result.Add((start * 512, sectors * 512));
            }
        }
        return result;
    }

    /// <summary>A block device's size (its length as a file is 0), or a regular file's length.</summary>
    public static long SizeOf(SafeFileHandle handle, string path)
    {
        long length = RandomAccess.GetLength(handle);
        if (length > 0)
        {
            return length;
        }
        string name = Path.GetFileName(path);
        return (Inspection.Sysfs.ReadLong($"/sys/class/block/{name}/size") ?? 0) * 512;
    }

    private static void ZeroEnds(SafeFileHandle handle, long start, long length)
    {
        if (length <= 0)
        {
            return;
        }
        byte[] zeros = new byte[Math.Min(Span, length)];
        RandomAccess.Write(handle, zeros, start);
        if (length > Span)
        {
            int tail = (int)Math.Min(Span, length - Span);
            RandomAccess.Write(handle, zeros.AsSpan(0, tail), start + length - tail);
        }
    }
}
