using System.Text;
using System.Text.RegularExpressions;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Inspection;

/// <summary>The disks under <c>/sys/block</c>: whole devices backed by hardware (no loop, ram, zram, device-mapper, CD-ROM).</summary>
public static partial class BlockDevices
{
    private static readonly string[] Virtual = ["loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd"];

    public static List<StorageDevice> Read(string root)
    {
        var disks = new List<StorageDevice>();
        string dir = Path.Combine(root, "sys/block");
        if (!Directory.Exists(dir))
        {
            return disks;
        }
        var byPath = ByPathLinks(root);
        foreach (string block in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(block);
            if (Virtual.Any(name.StartsWith) || !Path.Exists(Path.Combine(block, "device")))
            {
                continue;
            }
            string device = Path.Combine(block, "device");
            disks.Add(new StorageDevice
            {
                Name = "/dev/" + name,
                // The size attribute counts 512-byte sectors whatever the logical block size (include/linux/blkdev.h).
                SizeBytes = (Sysfs.ReadLong(Path.Combine(block, "size")) ?? 0) * 512,
                Rotational = Sysfs.Read(Path.Combine(block, "queue", "rotational")) is { } r ? r == "1" : null,
                Model = Sysfs.Read(Path.Combine(device, "model")),
                Vendor = Sysfs.Read(Path.Combine(device, "vendor")),
                SerialNumber = Sysfs.Read(Path.Combine(block, "serial")) ?? Sysfs.Read(Path.Combine(device, "serial"))
                    ?? UnitSerial(Path.Combine(device, "vpd_pg80")),
                Wwn = Wwn(Sysfs.Read(Path.Combine(block, "wwid")) ?? Sysfs.Read(Path.Combine(device, "wwid"))),
                Hctl = Directory.Exists(Path.Combine(device, "scsi_device"))
                    ? Directory.EnumerateFileSystemEntries(Path.Combine(device, "scsi_device")).Select(Path.GetFileName).FirstOrDefault()
                    : null,
                ByPath = byPath.GetValueOrDefault(name) ?? PciPath(Sysfs.LinkTarget(block)),
            });
        }
        return disks;
    }

    /// <summary>udev's /dev/disk/by-path links, by the device they point at (absent in a ramdisk without udev).</summary>
    private static Dictionary<string, string> ByPathLinks(string root)
    {
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        string dir = Path.Combine(root, "dev/disk/by-path");
        if (!Directory.Exists(dir))
        {
            return links;
        }
        foreach (string link in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            if (Sysfs.LinkTarget(link) is { } target && !Path.GetFileName(link).Contains("-part", StringComparison.Ordinal))
            {
                links.TryAdd(Path.GetFileName(target), "/dev/disk/by-path/" + Path.GetFileName(link));
            }
        }
        return links;
    }

    /// <summary>
    /// Without udev, the by-path name udev's path_id would give a PCI-attached disk (virtio, NVMe): the last PCI
    /// address on the device's sysfs path, e.g. ../devices/pci0000:00/0000:00:02.0/virtio1/block/vda → pci-0000:00:02.0.
    /// </summary>
    private static string? PciPath(string? sysfsTarget) =>
        sysfsTarget is null ? null : PciAddress().Matches(sysfsTarget).LastOrDefault() is { } m ? "/dev/disk/by-path/pci-" + m.Value : null;

    /// <summary>World Wide Names as udev's ID_WWN has them: naa.5000c500a1b2c3d4 → 0x5000c500a1b2c3d4.</summary>
    private static string? Wwn(string? wwid) =>
        wwid is null ? null : wwid.StartsWith("naa.", StringComparison.Ordinal) ? "0x" + wwid[4..] : wwid;

    /// <summary>SCSI VPD page 0x80 (unit serial number): 4-byte header, then the serial in ASCII (SPC-4 §7.8.15).</summary>
    private static string? UnitSerial(string path)
    {
        try
        {
            byte[] page = File.ReadAllBytes(path);
            return page.Length > 4 ? Encoding.ASCII.GetString(page, 4, Math.Min(page[3], page.Length - 4)).Trim() is { Length: > 0 } s ? s : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]")]
    private static partial Regex PciAddress();
}
