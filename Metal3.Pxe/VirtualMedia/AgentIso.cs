using System.Security.Cryptography;
using System.Text;

namespace Metal3.Pxe.VirtualMedia;

/// <summary>
/// What goes into one agent ISO: the ramdisk's kernel and initramfs (files on this machine) and the kernel line. Two
/// hosts whose ISOs would hold the same share one file; the name changes when any part does (a rebuilt ramdisk, another
/// static address), so a cached ISO is never stale.
/// </summary>
public sealed record AgentIso(string Kernel, string Initramfs, string KernelArgs)
{
    /// <summary>The ISO's file name in the cache: a digest of the files' identity (size, time written) and the kernel line.</summary>
    public string FileName
    {
        get
        {
            var identity = new StringBuilder();
            foreach (string path in new[] { Kernel, Initramfs })
            {
                var file = new FileInfo(path);
                identity.Append(path).Append('\n').Append(file.Exists ? file.Length : -1).Append('\n')
                    .Append(file.Exists ? file.LastWriteTimeUtc.Ticks : 0).Append('\n');
            }
            identity.Append(KernelArgs);
            return "agent-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..32] + ".iso";
        }
    }
}
