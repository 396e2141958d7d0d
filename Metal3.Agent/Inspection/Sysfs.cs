namespace Metal3.Agent.Inspection;

/// <summary>Reading sysfs/procfs attributes: one short line of text each, absent on hardware that lacks them.</summary>
internal static class Sysfs
{
    public static string? Read(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int? ReadInt(string path) => int.TryParse(Read(path), out int v) ? v : null;

    public static long? ReadLong(string path) => long.TryParse(Read(path), out long v) ? v : null;

    /// <summary>A <c>KEY=value</c> line of a uevent file.</summary>
    public static string? UeventValue(string path, string key) =>
        Read(path)?.Split('\n').Select(l => l.Split('=', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0] == key)?[1];

    /// <summary>Where a sysfs symlink points (relative, as the kernel writes it), or null for a plain directory.</summary>
    public static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? new DirectoryInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
