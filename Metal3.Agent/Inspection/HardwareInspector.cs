using System.Globalization;
using Metal3.Core.Hosts;

namespace Metal3.Agent.Inspection;

/// <summary>
/// The host's hardware as Linux shows it in <c>/proc</c> and <c>/sys</c>, read under <paramref name="root"/> (<c>/</c> on a
/// host; a fixture tree copied from a real machine in tests). Nothing here runs a tool, so the ramdisk needs none.
/// </summary>
public sealed class HardwareInspector(string root = "/")
{
    public HardwareDetails Inspect() => new()
    {
        Cpu = Cpu(),
        RamMebibytes = RamMebibytes(),
        Storage = BlockDevices.Read(root),
        Nics = Nics(),
        Firmware = Firmware(),
        SystemVendor = SystemVendor(),
        BootMode = Directory.Exists(P("sys/firmware/efi")) ? BootMode.Uefi : BootMode.Legacy,
    };

    private string P(string relative) => Path.Combine(root, relative);

    private CpuDetails? Cpu()
    {
        if (Sysfs.Read(P("proc/cpuinfo")) is not { } cpuinfo)
        {
            return null;
        }
        var lines = cpuinfo.Split('\n');
        string? Field(string name) => lines.Select(l => l.Split(':', 2))
            .FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim() == name) is { } kv ? kv[1].Trim() : null;
        int count = lines.Count(l => l.StartsWith("processor", StringComparison.Ordinal) && l.Contains(':'));
        double? mhz = double.TryParse(Field("cpu MHz"), NumberStyles.Float, CultureInfo.InvariantCulture, out double m) ? m : null;
        return new CpuDetails
        {
            // /proc/sys/kernel/arch is the kernel's own name for it (uname -m); x86_64 otherwise when the CPU has long mode.
            Arch = Sysfs.Read(P("proc/sys/kernel/arch")) ?? (Field("flags")?.Split(' ').Contains("lm") == true ? "x86_64" : null),
            Model = Field("model name") ?? Field("cpu model") ?? Field("Processor"),
            Count = count,
            ClockMegahertz = mhz,
            Flags = (Field("flags") ?? Field("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    private long? RamMebibytes()
    {
        var total = Sysfs.Read(P("proc/meminfo"))?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        // "MemTotal:       16331236 kB"
        return total?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var kib, ..] && long.TryParse(kib, out long k) ? k / 1024 : null;
    }

    private List<NetworkInterface> Nics()
    {
        var nics = new List<NetworkInterface>();
        string dir = P("sys/class/net");
        if (!Directory.Exists(dir))
        {
            return nics;
        }
        foreach (string nic in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
        {
            // Only interfaces backed by a device: not lo, bridges, bonds, tunnels.
            if (!Path.Exists(Path.Combine(nic, "device")) || Sysfs.Read(Path.Combine(nic, "address")) is not { } mac)
            {
                continue;
            }
            int? speedMbps = Sysfs.ReadInt(Path.Combine(nic, "speed"));
            nics.Add(new NetworkInterface
            {
                Name = Path.GetFileName(nic),
                Mac = mac.ToLowerInvariant(),
                Link = Sysfs.Read(Path.Combine(nic, "carrier")) is { } carrier ? carrier == "1" : null,
                SpeedGbps = speedMbps is > 0 ? Math.Max(1, speedMbps.Value / 1000) : null,
                Driver = Sysfs.UeventValue(Path.Combine(nic, "device", "uevent"), "DRIVER"),
            });
        }
        return nics;
    }

    private FirmwareDetails? Firmware()
    {
        string dmi = P("sys/class/dmi/id");
        return Directory.Exists(dmi)
            ? new FirmwareDetails(Sysfs.Read(Path.Combine(dmi, "bios_vendor")), Sysfs.Read(Path.Combine(dmi, "bios_version")),
                Sysfs.Read(Path.Combine(dmi, "bios_date")))
            : null;
    }

    private SystemVendor? SystemVendor()
    {
        string dmi = P("sys/class/dmi/id");
        return Directory.Exists(dmi)
            ? new SystemVendor(Sysfs.Read(Path.Combine(dmi, "sys_vendor")), Sysfs.Read(Path.Combine(dmi, "product_name")),
                Sysfs.Read(Path.Combine(dmi, "product_serial")))
            : null;
    }
}
