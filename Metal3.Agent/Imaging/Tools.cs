using System.Diagnostics;
using System.Threading.Channels;
using Metal3.Core.Hosts;
using Microsoft.Win32.SafeHandles;

namespace Metal3.Agent.Imaging;

/// <summary>Runs the few Debian tools the agent uses (qemu-img, sfdisk, mkfs.vfat, mtools) and collects their output.</summary>
public static class Tools
{
    public static async Task<(int Code, string Output)> RunAsync(string tool, IEnumerable<string> args, CancellationToken ct, string? stdin = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new ImageException($"could not start {tool}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
