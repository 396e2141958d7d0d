using Metal3.Core.Hosts;
using Metal3.Drivers.Redfish.Models;
using RedfishNic = Metal3.Drivers.Redfish.Models.EthernetInterface;

namespace Metal3.Drivers.Redfish;

/// <summary>Redfish resources to the host's <see cref="HardwareDetails"/> vocabulary (the ironic inspection fields).</summary>
internal static class InventoryMapping
{
    public static CpuDetails? Cpu(ComputerSystem sys, IReadOnlyList<Processor> processors)
    {
        var cpus = processors.Where(p => p.IsPresentCpu).ToList();
        // ProcessorSummary.Count is what the BMC counts as processors (sockets on every capture we have); without
        // it, the populated CPU sockets.
        // OpenBMC reports 0 when its inventory is not populated; 0 means "unknown", not "no CPU".
        long count = sys.ProcessorCount is > 0 and var c ? c : cpus.Count;
        if (count == 0 && cpus.Count == 0 && sys.ProcessorModel is null) return null;
        var first = cpus.FirstOrDefault();
        return new CpuDetails
        {
            Count = (int)Math.Clamp(count, 0, int.MaxValue),
            Model = Blank(sys.ProcessorModel) ?? Blank(first?.Model),
            Arch = Arch(first?.InstructionSet, first?.ProcessorArchitecture),
            ClockMegahertz = first?.MaxSpeedMHz is > 0 and < 1_000_000 and var mhz ? mhz : null,
        };
    }

    private static string? Arch(string? instructionSet, string? architecture) => instructionSet switch
    {
        "x86-64" => "x86_64",
        "x86" => "i686",
        "ARM-A64" => "aarch64",
        "ARM-A32" => "armv7l",
        "PowerISA" => "ppc64le",
        "IA-64" => "ia64",
        _ => architecture switch { "x86" => "x86_64", "ARM" => "aarch64", "Power" => "ppc64le", _ => null },
    };

    public static long? RamMebibytes(ComputerSystem sys, IReadOnlyList<MemoryModule> modules)
    {
        // Anything past an exbibyte is a firmware bug, not memory; refusing it keeps the arithmetic from overflowing.
        const double MaxMiB = 1L << 40;
        if (sys.MemoryGiB is > 0 and var gib) return gib * 1024 < MaxMiB ? (long)Math.Round(gib * 1024) : null;
        var present = modules.Where(m => m.IsPresent && m.CapacityMiB is > 0 and < (long)MaxMiB).ToList();
        return present.Count > 0 ? present.Sum(m => m.CapacityMiB!.Value) : null;
    }

    public static StorageDevice Disk(Drive d) => new()
    {
        Name = Blank(d.Name) ?? d.Id ?? "drive",
        SizeBytes = d.CapacityBytes is > 0 and var size ? size : 0,
        Rotational = d.MediaType switch { "HDD" or "SMR" => true, "SSD" => false, _ => null },
        Model = Blank(d.Model),
        Vendor = Blank(d.Manufacturer),
        SerialNumber = Blank(d.SerialNumber),
        Wwn = Blank(d.Wwn),
    };

    public static StorageDevice Disk(SimpleStorageDevice d) => new()
    {
        Name = Blank(d.Name) ?? "device",
        SizeBytes = d.CapacityBytes is > 0 and var size ? size : 0,
        Model = Blank(d.Model),
        Vendor = Blank(d.Manufacturer),
    };

    /// <summary>A NIC with a usable MAC, normalised to lower-case colon form; one without a MAC cannot be matched to a host, so it is dropped.</summary>
    public static NetworkInterface? Nic(RedfishNic nic)
    {
        string? mac = NormaliseMac(nic.MacAddress) ?? NormaliseMac(nic.PermanentMacAddress);
        if (mac is null) return null;
        return new NetworkInterface
        {
            Name = Blank(nic.Id) ?? Blank(nic.Name) ?? mac,
            Mac = mac,
            Link = nic.LinkStatus switch { "LinkUp" => true, "LinkDown" or "NoLink" => false, _ => null },
            SpeedGbps = nic.SpeedMbps is > 0 and < 100_000_000 and var mbps ? (int)(mbps / 1000) : null,
            Ip = Blank(nic.Ipv4Address),
        };
    }

    public static string? NormaliseMac(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string hex = new(text.Where(Uri.IsHexDigit).ToArray());
        if (hex.Length != 12 || text.Trim().Length > 17) return null;
        if (hex.All(c => c == '0')) return null;
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(i * 2, 2))).ToLowerInvariant();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
