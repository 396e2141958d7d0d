using Metal3.Agent.Tests.Support;

namespace Metal3.Agent.Tests.Ramdisk;

/// <summary>
/// The built ramdisk holds the drivers and firmware docs/hardware.md promises: every module of
/// Metal3.Agent/ramdisk/modules.list with each module it depends on, and every file of firmware.list.
/// </summary>
public sealed class RamdiskHardwareTests(UnpackedRamdisk initramfs) : IClassFixture<UnpackedRamdisk>
{
    [Fact]
    public async Task Every_listed_module_is_packed_with_every_module_it_depends_on()
    {
        string modinfo = Run.Require("modinfo", "kmod");
        var packed = Directory.EnumerateFiles(initramfs.Modules, "*.ko", SearchOption.AllDirectories)
            .ToDictionary(f => ModuleName(Path.GetFileName(f)), f => f);
        // "alias crypto-crc32c crc32c_generic": a soft dependency may name an alias rather than a module.
        var aliases = File.ReadLines(Path.Combine(initramfs.Modules, "modules.alias"))
            .Select(l => l.Split(' ')).Where(f => f is ["alias", _, _]).Select(f => f[1]).ToHashSet(StringComparer.Ordinal);
        // "kernel/drivers/scsi/sd_mod.ko: kernel/drivers/scsi/scsi_mod.ko …": what modprobe loads first.
        var indexed = File.ReadLines(Path.Combine(initramfs.Modules, "modules.dep"))
            .Select(l => l.Split(':', 2)).ToDictionary(kv => ModuleName(Path.GetFileName(kv[0])), kv => kv[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Module, string Wanted)>(ListFile("modules.list").Select(m => (ModuleName(m), "modules.list")));
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next.Module))
            {
                continue;
            }
            if (!packed.TryGetValue(next.Module, out string? file))
            {
                problems.Add($"{next.Module} (wanted by {next.Wanted}) is not in the initramfs");
                continue;
            }
            if (!indexed.TryGetValue(next.Module, out var depFiles))
            {
                problems.Add($"{next.Module} is not in modules.dep");
            }
            else
            {
                problems.AddRange(depFiles.Where(d => !File.Exists(Path.Combine(initramfs.Modules, d)))
                    .Select(d => $"{next.Module}: modules.dep names {d}, which is not in the initramfs"));
            }
            var depends = await Run.Async(modinfo, "-F", "depends", file);
            foreach (string dependency in depends.Stdout.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                queue.Enqueue((ModuleName(dependency), next.Module));
            }
            // "pre: crc32c post: …": a soft dependency is loaded by name or by alias.
            var softdep = await Run.Async(modinfo, "-F", "softdep", file);
            foreach (string soft in softdep.Stdout.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => !w.EndsWith(':')))
            {
                if (!packed.ContainsKey(ModuleName(soft)) && !aliases.Contains(soft))
                {
                    problems.Add($"{next.Module}: its soft dependency {soft} is neither a module nor an alias in the initramfs");
                }
            }
        }
        Assert.Empty(problems);
        Assert.Contains("8021q", seen);
    }

    [Fact]
    public void Every_listed_firmware_file_is_packed()
    {
        var firmware = ListFile("firmware.list");
        Assert.NotEmpty(firmware);
        Assert.All(firmware, f => Assert.True(File.Exists(Path.Combine(initramfs.Firmware, f)) || File.Exists(Path.Combine(initramfs.Firmware, f + ".xz")),
            $"{f} is not in the initramfs's /lib/firmware"));
    }

    [Fact]
    public void The_hardware_doc_names_every_listed_module_and_firmware_file()
    {
        string doc = File.ReadAllText(Repository.Path("docs", "hardware.md"));
        Assert.All(ListFile("modules.list").Concat(ListFile("firmware.list")), name => Assert.Contains($"`{name}`", doc));
    }

    /// <summary>A list of build.sh's: one name a line, <c>#</c> comments.</summary>
    private static List<string> ListFile(string name) =>
        File.ReadLines(Repository.Path("Metal3.Agent", "ramdisk", name)).Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>The kernel treats - and _ in module names alike (nvme-core.ko is nvme_core).</summary>
    private static string ModuleName(string nameOrFile) => nameOrFile.Replace(".ko", "", StringComparison.Ordinal).Replace('-', '_');
}
