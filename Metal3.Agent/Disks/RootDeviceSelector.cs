using Metal3.Core.Hosts;

namespace Metal3.Agent.Disks;

/// <summary>
/// Chooses the disk the image goes to, with Ironic's root device hint semantics as Metal3 documents them: deviceName
/// and hctl match exactly (deviceName also by its /dev/disk/by-path name), model and vendor may be a substring of the
/// actual value, serialNumber and wwn match exactly, minSizeGigabytes is a lower bound in GiB, rotational must be
/// equal. Every hint given must match; the first matching disk in name order wins. Without hints: the smallest disk of
/// at least 4 GiB (ironic-python-agent's default).
/// </summary>
public static class RootDeviceSelector
{
    public const long MinimumBytes = 4L << 30;

    public static StorageDevice Select(IReadOnlyList<StorageDevice> disks, RootDeviceHints? hints)
    {
        if (hints is null || IsEmpty(hints))
        {
            return disks.Where(d => d.SizeBytes >= MinimumBytes).OrderBy(d => d.SizeBytes).ThenBy(d => d.Name, StringComparer.Ordinal)
                .FirstOrDefault()
                ?? throw new RootDeviceException($"no disk of at least 4 GiB among {Describe(disks)}");
        }
        return disks.OrderBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(d => Matches(d, hints))
            ?? throw new RootDeviceException($"no disk matches the root device hints ({Describe(hints)}) among {Describe(disks)}");
    }

    public static bool Matches(StorageDevice disk, RootDeviceHints hints) =>
        (hints.DeviceName is not { } name || name == disk.Name || name == disk.ByPath || "/dev/" + name == disk.Name)
        && (hints.Hctl is not { } hctl || hctl == disk.Hctl)
        && (hints.Model is not { } model || Contains(disk.Model, model))
        && (hints.Vendor is not { } vendor || Contains(disk.Vendor, vendor))
        && (hints.SerialNumber is not { } serial || serial == disk.SerialNumber)
        && (hints.Wwn is not { } wwn || wwn == disk.Wwn)
        && (hints.MinSizeGigabytes is not { } gib || disk.SizeBytes >= (long)gib << 30)
        && (hints.Rotational is not { } rotational || rotational == disk.Rotational);

    private static bool IsEmpty(RootDeviceHints h) => h == new RootDeviceHints();

    private static bool Contains(string? actual, string hint) =>
        actual is not null && actual.Contains(hint.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Describe(IEnumerable<StorageDevice> disks) =>
        string.Join(", ", disks.Select(d => $"{d.Name} ({d.SizeBytes / (1 << 20)} MiB, model '{d.Model}', serial '{d.SerialNumber}')")) is { Length: > 0 } s
            ? s : "no disks";

    private static string Describe(RootDeviceHints h) => h.ToString().Replace("RootDeviceHints { ", "").TrimEnd(' ', '}');
}
