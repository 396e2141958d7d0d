namespace Metal3.Agent.Tests.Support;

/// <summary>Disk images for the writer tests: a sparse file, and that file behind a loop device (needs root, as CI runs).</summary>
public sealed class TestDisk : IDisposable
{
    private TestDisk(string file, string? loop)
    {
        File = file;
        Loop = loop;
    }

    public string File { get; }
    public string? Loop { get; }

    /// <summary>The path the agent writes to.</summary>
    public string Device => Loop ?? File;

    public static TestDisk Create(long size, bool loop)
    {
        string file = Path.Combine(Path.GetTempPath(), $"metal3-disk-{Guid.NewGuid():N}.img");
        using (var fs = System.IO.File.Create(file))
        {
            fs.SetLength(size);
        }
        if (!loop)
        {
            return new TestDisk(file, null);
        }
        var (code, output) = Run("losetup", "--find", "--show", file);
        if (code != 0)
        {
            throw new InvalidOperationException($"losetup failed (the loop device tests need root): {output}");
        }
        return new TestDisk(file, output.Trim());
    }

    public byte[] Read(long offset, int count)
    {
        using var fs = new FileStream(Device, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        fs.Position = offset;
        byte[] buffer = new byte[count];
        fs.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>A disk tool (losetup, sfdisk, blkid …) to completion: its exit code, then stdout followed by stderr.</summary>
    public static (int Code, string Output) Run(string tool, params string[] args)
    {
        var result = Testing.Run.Sync(tool, args, TimeSpan.FromMinutes(5));
        return (result.ExitCode, result.Stdout + result.Stderr);
    }

    public void Dispose()
    {
        if (Loop is not null)
        {
            Run("losetup", "--detach", Loop);
        }
        System.IO.File.Delete(File);
    }
}
