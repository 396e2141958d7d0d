using System.Diagnostics;

namespace Metal3.Cli.Tests.Support;

/// <summary>
/// The built <c>metal3ctl</c> (<c>dotnet metal3ctl.dll</c>) as a process, with a clean environment: its own working
/// directory and HOME, so neither a developer's config file nor a stray <c>./data/admin.token</c> changes the result.
/// </summary>
public sealed class Metal3CtlProcess
{
    private readonly string? _url;
    private readonly string? _token;

    public Metal3CtlProcess(string? url, string? token, string? workingDirectory = null)
    {
        _url = url;
        _token = token;
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
        if (_url is not null)
        {
            psi.ArgumentList.Add("--url");
            psi.ArgumentList.Add(_url);
        }
        if (_token is not null)
        {
            psi.ArgumentList.Add("--token");
            psi.ArgumentList.Add(_token);
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
