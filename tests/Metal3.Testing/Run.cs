using System.Diagnostics;
using System.Text;

namespace Metal3.Testing;

/// <summary>
/// Runs the real programs the tests need (the daemon, metal3ctl, tftp, curl, ip, initdb …): to completion with a
/// deadline, or in the background with their output captured. A missing tool fails loudly; the tests never skip.
/// </summary>
public static class Run
{
    /// <summary>The tool's path (a name is looked up in PATH and the sbin directories; a path must exist).</summary>
    public static string Require(string tool, string debianPackage)
    {
        var candidates = tool.Contains('/')
            ? [tool]
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Select(d => Path.Combine(d, tool));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"'{tool}' is not installed: apt-get install {debianPackage} (listed in .ci/apt-packages)");
    }

    public static Task<RunResult> Async(string file, params string[] args) => Async(file, args, TimeSpan.FromSeconds(60));

    public static Task<RunResult> Async(string file, IEnumerable<string> args, TimeSpan deadline, string? stdin = null) =>
        Async(StartInfo(file, args), deadline, stdin);

    /// <summary>Runs to completion; past the deadline the process (and its children) is killed and the test fails with
    /// what it printed. <paramref name="start"/> may set the environment and working directory.</summary>
    public static async Task<RunResult> Async(ProcessStartInfo start, TimeSpan deadline, string? stdin = null)
    {
        start.RedirectStandardInput = stdin is not null;
        var (process, output) = Start(start);
        using (process)
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            using var timeout = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await output.Completion.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {deadline}:\n{output.All}");
            }
            return new RunResult(process.ExitCode, output.All) { Stdout = output.Stdout, Stderr = output.Stderr };
        }
    }

    /// <summary>For code that cannot await (a constructor, Dispose): the same run, waited for on this thread.</summary>
    public static RunResult Sync(string file, IEnumerable<string> args, TimeSpan deadline) =>
        Async(file, args, deadline).GetAwaiter().GetResult();

    /// <summary>Starts a long-running program; its output goes to <paramref name="logFile"/> (when given) as it arrives.
    /// The caller stops it (by its PID, <see cref="Process.Kill(bool)"/>).</summary>
    public static (Process Process, ProcessOutput Output) Start(ProcessStartInfo start, string? logFile = null)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        return (process, ProcessOutput.Capture(process, logFile));
    }

    public static (Process Process, ProcessOutput Output) Start(string file, IEnumerable<string> args, string? logFile = null) =>
        Start(StartInfo(file, args), logFile);

    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        return start;
    }
}
