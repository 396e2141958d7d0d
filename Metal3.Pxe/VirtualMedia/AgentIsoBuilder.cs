using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Metal3.Pxe.VirtualMedia;

/// <summary>
/// Writes bootable agent ISOs with Debian's GRUB tools: <c>grub-mkrescue</c> (grub-common) lays out one image that
/// boots both ways, El Torito for BIOS (<c>grub-pc-bin</c>'s i386-pc core image) and an EFI system partition image for
/// UEFI (<c>grub-efi-amd64-bin</c>, written with <c>mtools</c>), and <c>xorriso</c> writes the ISO 9660 file. Built
/// ISOs are kept in <c>cacheDir</c> under <see cref="AgentIso.FileName"/>; one ISO is built at most once at a time.
/// </summary>
public sealed partial class AgentIsoBuilder(string cacheDir, ILogger<AgentIsoBuilder> logger)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    /// <summary>What grub-mkrescue needs, and the Debian package that brings each.</summary>
    private static readonly (string Path, string Package)[] Tools =
    [
        ("/usr/bin/grub-mkrescue", "grub-common"),
        ("/usr/bin/xorriso", "xorriso"),
        ("/usr/lib/grub/i386-pc", "grub-pc-bin"),
        ("/usr/lib/grub/x86_64-efi", "grub-efi-amd64-bin"),
        ("/usr/bin/mformat", "mtools"),
    ];

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _building = new();

    /// <summary>The Debian packages that are missing for building ISOs; empty when all are there.</summary>
    public static IReadOnlyList<string> MissingPackages() =>
        Tools.Where(t => !File.Exists(t.Path) && !Directory.Exists(t.Path)).Select(t => t.Package).Distinct().ToList();

    /// <summary>The ISO's path, built now unless already in the cache.</summary>
    /// <exception cref="InvalidOperationException">A tool or an input file is missing, or grub-mkrescue failed; the message says which.</exception>
    public async Task<string> GetAsync(AgentIso iso, CancellationToken ct)
    {
        string path = Path.Combine(cacheDir, iso.FileName);
        if (File.Exists(path))
        {
            return path;
        }
        var gate = _building.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (!File.Exists(path))
            {
                await BuildAsync(iso, path, ct);
            }
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task BuildAsync(AgentIso iso, string path, CancellationToken ct)
    {
        if (MissingPackages() is { Count: > 0 } missing)
        {
            throw new InvalidOperationException($"cannot build the agent ISO: apt-get install {string.Join(' ', missing)}");
        }
        foreach (string input in new[] { iso.Kernel, iso.Initramfs })
        {
            if (!File.Exists(input))
            {
                throw new InvalidOperationException($"cannot build the agent ISO: {input} does not exist (Metal3.Agent/ramdisk/build.sh writes it)");
            }
        }
        Directory.CreateDirectory(cacheDir);
        string staging = Directory.CreateTempSubdirectory("metal3-iso-").FullName;
        string partial = path + ".partial";
        long started = Stopwatch.GetTimestamp();
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, "boot", "grub"));
            Directory.CreateDirectory(Path.Combine(staging, "agent"));
            await File.WriteAllTextAsync(Path.Combine(staging, "boot", "grub", "grub.cfg"), GrubConfig.Render(iso.KernelArgs), ct);
            File.Copy(iso.Kernel, Path.Combine(staging, "agent", "vmlinuz"));
            File.Copy(iso.Initramfs, Path.Combine(staging, "agent", "initramfs"));
            await RunAsync("grub-mkrescue", ["-o", partial, staging, "--", "-volid", "METAL3_AGENT"], ct);
            // Only a whole ISO gets the name the endpoint serves: a crash mid-build leaves a .partial, never a broken ISO.
            File.Move(partial, path, overwrite: true);
            Log.Built(logger, path, new FileInfo(path).Length, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
            File.Delete(partial);
        }
    }

    private static async Task RunAsync(string tool, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(BuildTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw ct.IsCancellationRequested ? new OperationCanceledException(ct) : new InvalidOperationException($"{tool} took longer than {BuildTimeout}");
        }
        if (process.ExitCode != 0)
        {
            string said = (await errors + await output).Trim();
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {(said.Length > 2000 ? said[^2000..] : said)}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "agent ISO {Path} built: {Bytes} bytes in {Seconds:F1} s")]
        public static partial void Built(ILogger logger, string path, long bytes, double seconds);
    }
}
