using System.Diagnostics;
using System.Text;

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
        using var process = Start(args, stdin is not null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"metal3ctl {string.Join(' ', args)} did not exit within {deadline}:\n{await stdout}\n{await stderr}");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A long-running command (a watch): its output lines arrive in <see cref="RunningCli.Lines"/>.</summary>
    public RunningCli StartLong(params string[] args) => new(Start(args, redirectInput: false));

    private Process Start(string[] args, bool redirectInput)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            WorkingDirectory = WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(CliDll());
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
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start metal3ctl");
    }

    /// <summary>metal3ctl's build output, in the same configuration (Debug or Release) as this test assembly.</summary>
    public static string CliDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string configuration = dir.Parent!.Name;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metal3.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("Metal3.sln not found above the test directory");
        }
        string dll = Path.Combine(dir.FullName, "Metal3.Cli", "bin", configuration, "net10.0", "metal3ctl.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build Metal3.Cli first", dll);
    }
}

/// <summary>A metal3ctl process that keeps running; stopped (killed) on dispose.</summary>
public sealed class RunningCli : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StringBuilder errors = new();

    public RunningCli(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (lines)
            {
                return lines.ToList();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>Waits for an output line that satisfies <paramref name="match"/>; fails with everything printed so far.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            if (process.HasExited)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"no line {what} within {deadline} (exited: {process.HasExited}):\n{string.Join('\n', Lines)}\n--- stderr\n{Errors}");
        return "";
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
