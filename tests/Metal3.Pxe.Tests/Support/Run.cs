using System.Diagnostics;
using System.Text;

namespace Metal3.Pxe.Tests.Support;

public sealed record RunResult(int ExitCode, string Output);

/// <summary>Runs the real peers (tftp, atftp, curl, udhcpc, ip …) with a deadline; a missing tool fails loudly.</summary>
public static class Run
{
    /// <summary>Fails the test (never skips it) when a tool the test needs is not installed.</summary>
    public static string Require(string tool, string debianPackage)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }
        Assert.Fail($"'{tool}' is not installed: apt-get install {debianPackage} (listed in .ci/apt-packages)");
        return "";
    }

    public static async Task<RunResult> Async(string file, IEnumerable<string> args, TimeSpan deadline, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output)
            {
                Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {deadline}:\n{output}");
            }
        }
        process.WaitForExit();   // drains the output readers
        lock (output)
        {
            return new RunResult(process.ExitCode, output.ToString());
        }
    }

    public static Task<RunResult> Async(string file, params string[] args) => Async(file, args, TimeSpan.FromSeconds(60));

    /// <summary>Waits until <paramref name="condition"/> holds, polling briefly; fails after the deadline.</summary>
    public static Task Until(Func<bool> condition, TimeSpan deadline, string what) => Until(condition, deadline, () => what);

    /// <summary>As above, with the failure message built only when the deadline passes (e.g. from logs), polling every
    /// <paramref name="poll"/> (20 ms unless given: a condition that asks a daemon or reads a console wants longer).</summary>
    public static async Task Until(Func<bool> condition, TimeSpan deadline, Func<string> what, TimeSpan? poll = null)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > deadline)
            {
                Assert.Fail($"timed out after {deadline} waiting for {what()}");
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
