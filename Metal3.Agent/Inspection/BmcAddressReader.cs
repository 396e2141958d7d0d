using System.Diagnostics;
using System.Net;

namespace Metal3.Agent.Inspection;

/// <summary>
/// The BMC's LAN address, for discovery: <c>ipmitool lan print</c> through the kernel's IPMI device, when the ramdisk
/// has ipmitool and the machine a BMC. Null otherwise; nothing else in <c>/sys</c> says it (SMBIOS type 38 names only the
/// in-band interface's I/O address, and type 42 the Redfish host interface's address as seen from the host, not the
/// BMC's address on the management network). The ramdisk built by ramdisk/build.sh has no ipmitool today.
/// </summary>
public sealed class BmcAddressReader(string tool = "ipmitool")
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        if (!OnPath(tool))
        {
            return null;
        }
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, ["lan", "print"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            _ = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill();
                return null;
            }
            return process.ExitCode == 0 ? Parse(await output) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The "IP Address : a.b.c.d" line of <c>ipmitool lan print</c>; null for 0.0.0.0 (no address set).</summary>
    public static string? Parse(string lanPrint)
    {
        foreach (string line in lanPrint.Split('\n'))
        {
            var parts = line.Split(':', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == "IP Address" && IPAddress.TryParse(parts[1], out var ip)
                && !ip.Equals(IPAddress.Any))
            {
                return ip.ToString();
            }
        }
        return null;
    }

    private static bool OnPath(string tool) =>
        Path.IsPathRooted(tool)
            ? File.Exists(tool)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
