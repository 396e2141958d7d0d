using Metal3.Pxe.VirtualMedia;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metal3.Pxe.Tests.VirtualMedia;

/// <summary>
/// The ISO as the real tools write it, read back with xorriso: El Torito entries for BIOS and UEFI, the agent's files,
/// and the kernel line in grub.cfg. The "kernel" and "initramfs" are small stand-in files: what boots them is GRUB,
/// tested end to end in Metal3.E2E.
/// </summary>
public sealed class AgentIsoBuilderTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("metal3-iso-test-").FullName;

    [Fact]
    public async Task The_iso_boots_bios_and_uefi_and_holds_the_agent_and_its_kernel_line()
    {
        Assert.True(AgentIsoBuilder.MissingPackages().Count == 0, $"apt-get install {string.Join(' ', AgentIsoBuilder.MissingPackages())}");
        var iso = Inputs("metal3.api=http://198.18.0.1:8080 console=ttyS0 metal3.mac=52:54:00:00:00:01 metal3.ip=198.18.1.50/24");
        var builder = new AgentIsoBuilder(Path.Combine(_work, "cache"), NullLogger<AgentIsoBuilder>.Instance);

        string path = await builder.GetAsync(iso, CancellationToken.None);

        var torito = await Run.Async("xorriso", ["-indev", path, "-report_el_torito", "plain"], TimeSpan.FromSeconds(60));
        Assert.True(torito.ExitCode == 0, torito.Output);
        Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y", torito.Output);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y", torito.Output);
        var files = await Run.Async("xorriso", ["-indev", path, "-find", "/", "-type", "f"], TimeSpan.FromSeconds(60));
        Assert.Contains("'/agent/vmlinuz'", files.Output);
        Assert.Contains("'/agent/initramfs'", files.Output);
        Assert.Contains("'/boot/grub/grub.cfg'", files.Output);
        string cfg = await ExtractAsync(path, "/boot/grub/grub.cfg");
        Assert.Contains("linux /agent/vmlinuz " + iso.KernelArgs, cfg);
        Assert.Contains("initrd /agent/initramfs", cfg);
        Assert.Equal(await File.ReadAllBytesAsync(iso.Initramfs), await File.ReadAllBytesAsync(await ExtractFileAsync(path, "/agent/initramfs")));
    }

    [Fact]
    public async Task An_iso_is_built_once_and_a_new_kernel_line_is_a_new_iso()
    {
        var builder = new AgentIsoBuilder(Path.Combine(_work, "cache"), NullLogger<AgentIsoBuilder>.Instance);
        var first = Inputs("metal3.api=http://198.18.0.1:8080");

        string a = await builder.GetAsync(first, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(a);
        string again = await builder.GetAsync(first, CancellationToken.None);
        string other = await builder.GetAsync(first with { KernelArgs = "metal3.api=http://198.18.0.1:8081" }, CancellationToken.None);

        Assert.Equal(a, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again));
        Assert.NotEqual(a, other);
        Assert.Empty(Directory.GetFiles(Path.Combine(_work, "cache"), "*.partial"));
    }

    [Fact]
    public async Task A_missing_ramdisk_is_a_clear_error_and_leaves_no_iso()
    {
        var builder = new AgentIsoBuilder(Path.Combine(_work, "cache"), NullLogger<AgentIsoBuilder>.Instance);
        var iso = new AgentIso(Path.Combine(_work, "no-vmlinuz"), Path.Combine(_work, "no-initramfs"), "metal3.api=http://198.18.0.1:8080");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => builder.GetAsync(iso, CancellationToken.None));

        Assert.Contains("no-vmlinuz does not exist", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_work, "cache")) && Directory.EnumerateFiles(Path.Combine(_work, "cache")).Any());
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private AgentIso Inputs(string kernelArgs)
    {
        string kernel = Path.Combine(_work, "vmlinuz"), initramfs = Path.Combine(_work, "initramfs");
        if (!File.Exists(kernel))
        {
            File.WriteAllBytes(kernel, [.. Enumerable.Range(0, 4096).Select(i => (byte)i)]);
            File.WriteAllBytes(initramfs, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 7))]);
        }
        return new AgentIso(kernel, initramfs, kernelArgs);
    }

    private async Task<string> ExtractAsync(string iso, string file) => await File.ReadAllTextAsync(await ExtractFileAsync(iso, file));

    private async Task<string> ExtractFileAsync(string iso, string file)
    {
        string target = Path.Combine(_work, "out", Path.GetFileName(file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var run = await Run.Async("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", file, target], TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, run.Output);
        return target;
    }
}
