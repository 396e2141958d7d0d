using System.Diagnostics;

namespace Metal3.Cli.Tests.Support;

/// <summary>What one run of metal3ctl printed and how it exited.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The built <c>metal3ctl</c> (<c>dotnet metal3ctl.dll</c>) as a process, with a clean environment: its own working
/// directory and HOME, so neither a developer's config file nor a stray <c>./data/admin.token</c> changes the result.
/// </summary>
public sealed class Metal3CtlProcess
{
    private readonly string? url;
    private readonly string? token;

    public Metal3CtlProcess(string? url, string? token, string? workingDirectory = null)
    {
        this.url = url;
        this.token = token;
        WorkingDirectory = workingDirectory ?? NewDirectory("cwd");
    }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; } = new();

    public static string NewDirectory(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"metal3-cli-{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs with <c>--url</c>/<c>--token</c> of this daemon appended (unless null), and waits for the exit.</summary>
    public async Task<CliRun> RunAsync(params string[] args) => await RunAsync(args, stdin: null, TimeSpan.FromMinutes(3));

    public async Task<CliRun> RunAsync(string[] args, string? stdin, TimeSpan deadline)
    {
        var result = await Run.Async(StartInfo(args), deadline, stdin);
        return new CliRun(result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>A long-running command (a watch): its output lines arrive in <see cref="RunningCli.Lines"/>.</summary>
    public RunningCli StartLong(params string[] args) => new(Run.Start(StartInfo(args)));

    private ProcessStartInfo StartInfo(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = WorkingDirectory };
        psi.ArgumentList.Add(Repository.CliDll);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (url is not null)
        {
            psi.ArgumentList.Add("--url");
            psi.ArgumentList.Add(url);
        }
        if (token is not null)
        {
            psi.ArgumentList.Add("--token");
            psi.ArgumentList.Add(token);
        }
        foreach (string name in new[] { "METAL3_URL", "METAL3_TOKEN", "XDG_CONFIG_HOME" })
        {
            psi.Environment.Remove(name);
        }
        psi.Environment["HOME"] = WorkingDirectory;
        foreach (var (name, value) in Environment)
        {
            psi.Environment[name] = value;
        }
        return psi;
    }
}

/// <summary>A metal3ctl process that keeps running; stopped (killed) on dispose.</summary>
public sealed class RunningCli((Process Process, ProcessOutput Output) started) : IDisposable
{
    private readonly Process process = started.Process;
    private readonly ProcessOutput output = started.Output;

    public IReadOnlyList<string> Lines => output.StdoutLines;

    public string Errors => output.Stderr;

    /// <summary>Waits for an output line that satisfies <paramref name="match"/>; fails with everything printed so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan deadline, string what)
    {
        string? line = null;
        await Eventually.Until(() => (line = Lines.FirstOrDefault(match)) is not null || process.HasExited, deadline,
            () => $"a line {what}:\n{string.Join('\n', Lines)}\n--- stderr\n{Errors}", TimeSpan.FromMilliseconds(100));
        line ??= Lines.FirstOrDefault(match);   // the last lines of a process that just exited may have come in since
        Assert.True(line is not null, $"no line {what} (metal3ctl exited):\n{string.Join('\n', Lines)}\n--- stderr\n{Errors}");
        return line;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
