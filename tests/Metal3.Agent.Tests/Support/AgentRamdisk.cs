namespace Metal3.Agent.Tests.Support;

/// <summary>
/// The ramdisk, built once per test run by Metal3.Agent/ramdisk/build.sh from Debian packages (the downloaded .debs
/// are kept in /var/tmp between runs). Set METAL3_AGENT_RAMDISK to a directory holding vmlinuz and initramfs to use a
/// ramdisk built beforehand.
/// </summary>
public static class AgentRamdisk
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> DirectoryAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        if (Environment.GetEnvironmentVariable("METAL3_AGENT_RAMDISK") is { Length: > 0 } given)
        {
            return File.Exists(Path.Combine(given, "vmlinuz")) && File.Exists(Path.Combine(given, "initramfs"))
                ? given
                : throw new FileNotFoundException($"METAL3_AGENT_RAMDISK={given} has no vmlinuz and initramfs");
        }
        string output = Path.Combine(Path.GetTempPath(), $"metal3-agent-ramdisk-{Guid.NewGuid():N}");
        var build = Run.StartInfo("bash", [Repository.Path("Metal3.Agent", "ramdisk", "build.sh"), output]);
        build.Environment["WORK"] = "/var/tmp/metal3-agent-ramdisk-work";
        build.Environment["KEEP_WORK"] = "1";
        var result = await Run.Async(build, Timeout.InfiniteTimeSpan);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ramdisk build failed ({result.ExitCode}): {result.Stdout}\n{result.Stderr}");
        }
        return output;
    }
}
