using Metal3.Pxe.Tests.Support;

namespace Metal3.E2E.Lab;

/// <summary>The deploy agent's kernel and initramfs, built once per test run by Metal3.Agent/ramdisk/build.sh.</summary>
public sealed class AgentRamdisk
{
    private static readonly Lazy<Task<AgentRamdisk>> Built = new(BuildAsync);

    private AgentRamdisk(string directory) => Directory = directory;

    public string Directory { get; }
    public string Kernel => Path.Combine(Directory, "vmlinuz");
    public string Initramfs => Path.Combine(Directory, "initramfs");

    public static Task<AgentRamdisk> GetAsync() => Built.Value;

    private static async Task<AgentRamdisk> BuildAsync()
    {
        string script = Path.Combine(RepositoryRoot(), "Metal3.Agent", "ramdisk", "build.sh");
        Assert.True(File.Exists(script), $"{script} is missing");
        string dir = System.IO.Directory.CreateTempSubdirectory("metal3-e2e-ramdisk-").FullName;
        var result = await Run.Async(script, [dir], TimeSpan.FromMinutes(15));
        Assert.True(result.ExitCode == 0, "the ramdisk build failed:\n" + result.Output);
        var ramdisk = new AgentRamdisk(dir);
        Assert.True(File.Exists(ramdisk.Kernel) && File.Exists(ramdisk.Initramfs), "build.sh made no vmlinuz/initramfs:\n" + result.Output);
        return ramdisk;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metal3.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Metal3.sln not found above the test directory");
    }
}
