namespace Metal3.E2E.Lab;

/// <summary>
/// The image the lab deploys (lab/build-disk-image.sh): a raw disk that boots with BIOS and UEFI into a line
/// <see cref="Marker"/> on the serial console. Built once per test run from Debian packages.
/// </summary>
public sealed class DiskImage
{
    public const string Marker = "METAL3-E2E-BOOTED-FROM-DISK";

    private static readonly Lazy<Task<DiskImage>> Built = new(BuildAsync);

    private DiskImage(string directory) => Directory = directory;

    public string Directory { get; }
    public string Raw => Path.Combine(Directory, "disk.raw");
    public string Zstd => Path.Combine(Directory, "disk.raw.zst");
    public string ZstdSha256 => File.ReadAllText(Zstd + ".sha256").Split(' ')[0];

    public static Task<DiskImage> GetAsync() => Built.Value;

    private static async Task<DiskImage> BuildAsync()
    {
        foreach (var (tool, package) in new[] { ("syslinux", "syslinux"), ("mcopy", "mtools"), ("mkfs.vfat", "dosfstools"),
                     ("grub-mkstandalone", "grub-efi-amd64-bin"), ("sfdisk", "fdisk"), ("cpio", "cpio"), ("zstd", "zstd"), ("busybox", "busybox-static") })
        {
            Run.Require(tool, package);
        }
        Assert.True(File.Exists("/usr/lib/syslinux/mbr/mbr.bin"), "apt-get install syslinux-common");
        string dir = System.IO.Directory.CreateTempSubdirectory("metal3-e2e-image-").FullName;
        var result = await Run.Async(Script("build-disk-image.sh"), [dir], TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, "build-disk-image.sh failed:\n" + result.Output);
        return new DiskImage(dir);
    }

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "lab", name);
}
