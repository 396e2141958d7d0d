using System.Diagnostics;

namespace Metal3.Cli.Tests.Support;

/// <summary>A metal3ctl process that keeps running; stopped (killed) on dispose.</summary>
public sealed class RunningCli((Process Process, ProcessOutput Output) started) : IDisposable
{
    private readonly Process _process = started.Process;
    private readonly ProcessOutput _output = started.Output;

    public IReadOnlyList<string> Lines => _output.StdoutLines;

    public string Errors => _output.Stderr;

    /// <summary>Waits for an output line that satisfies <paramref name="match"/>; fails with everything printed so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan deadline, string what)
    {
        string? line = null;
        await Eventually.Until(() => (line = Lines.FirstOrDefault(match)) is not null || _process.HasExited, deadline,
            () => $"a line {what}:\n{string.Join('\n', Lines)}\n--- stderr\n{Errors}", TimeSpan.FromMilliseconds(100));
        line ??= Lines.FirstOrDefault(match);   // the last lines of a process that just exited may have come in since
        Assert.True(line is not null, $"no line {what} (metal3ctl exited):\n{string.Join('\n', Lines)}\n--- stderr\n{Errors}");
        return line;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
