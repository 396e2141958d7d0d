namespace Metal3.Pxe.Tftp;

/// <summary>
/// Maps a requested file name to a file under the boot directory, or refuses it. Requests are relative to the root
/// whatever they look like: a leading '/' is dropped (PXE ROMs and pxelinux send both forms), '\' is a separator
/// (Windows-built NBPs), and no component may be "..", nor may any symbolic link on the way lead outside the root.
/// </summary>
public sealed class TftpRoot
{
    private readonly string _root;

    public TftpRoot(string root)
    {
        var full = Path.GetFullPath(root);
        // Resolve the root itself once, so that a root reached through a link still compares equal below.
        _root = Path.TrimEndingDirectorySeparator(ResolveLinks(full) ?? full);
    }

    public string Root => _root;

    /// <summary>The absolute path of a regular file inside the root, or null.</summary>
    public string? Resolve(string requested)
    {
        if (requested.Length == 0 || requested.Length > 1024 || requested.Contains('\0'))
        {
            return null;
        }
        var parts = requested.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is ".." or "."))
        {
            return null;
        }
        var candidate = Path.Combine([_root, .. parts]);
        var resolved = ResolveLinks(candidate);
        if (resolved is null || !IsInside(resolved) || !File.Exists(resolved))
        {
            return null;
        }
        return resolved;
    }

    private bool IsInside(string path) =>
        path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Like realpath(3): every component's symbolic link followed. Null if something on the way is missing.</summary>
    private static string? ResolveLinks(string path)
    {
        string current = Path.GetPathRoot(path)!;
        foreach (var part in path[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
                if (!info.Exists)
                {
                    return null;
                }
            }
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists)
                {
                    return null;
                }
                next = ResolveLinks(Path.GetFullPath(target.FullName)) ?? null;
                if (next is null)
                {
                    return null;
                }
            }
            current = next;
        }
        return current;
    }
}
