namespace Metal3.Agent.Tests.Support;

/// <summary>
/// The kernel modules and firmware of the built initramfs (<see cref="AgentRamdisk"/>), unpacked into a temporary
/// directory as build.sh packed them: a gzip-compressed cpio (newc) archive whose /lib is a link to /usr/lib.
/// </summary>
public sealed class UnpackedRamdisk : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"metal3-initramfs-{Guid.NewGuid():N}");

    /// <summary>/lib/modules/&lt;kernel version&gt;.</summary>
    public string Modules => Assert.Single(Directory.GetDirectories(Path.Combine(Root, "usr/lib/modules")));

    public string Firmware => Path.Combine(Root, "usr/lib/firmware");

    public async Task InitializeAsync()
    {
        string initramfs = Path.Combine(await AgentRamdisk.DirectoryAsync(), "initramfs");
        Run.Require("cpio", "cpio");
        Directory.CreateDirectory(Root);
        var unpack = Run.StartInfo("sh", ["-c", "gzip -dc \"$0\" | cpio -idm --quiet 'usr/lib/modules/*' 'usr/lib/firmware/*'", initramfs]);
        unpack.WorkingDirectory = Root;
        var result = await Run.Async(unpack, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"unpacking {initramfs}: {result.Output}");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
