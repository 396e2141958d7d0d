using System.Diagnostics;
using System.Text;

namespace Metal3.Testing;

/// <summary>
/// What a process writes to stdout and stderr, read as it arrives (so no pipe fills up and blocks the process) and kept
/// exactly as written: each output apart, both together in the order they came, and, when a log file is given,
/// appended to it as well (readable while the process runs).
/// </summary>
public sealed class ProcessOutput
{
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StreamWriter? _log;

    private ProcessOutput(string? logFile)
    {
        if (logFile is not null)
        {
            _log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
        Completion = Task.CompletedTask;
    }

    /// <summary>Starts reading a process started with both outputs redirected.</summary>
    public static ProcessOutput Capture(Process process, string? logFile = null)
    {
        var output = new ProcessOutput(logFile);
        output.Completion = Task.WhenAll(output.PumpAsync(process.StandardOutput, output._stdout), output.PumpAsync(process.StandardError, output._stderr));
        return output;
    }

    /// <summary>Done when both outputs have closed (the process and anything that inherited them ended).</summary>
    public Task Completion { get; private set; }

    /// <summary>Both outputs in the order they arrived.</summary>
    public string All => Text(_all);

    public string Stdout => Text(_stdout);

    public string Stderr => Text(_stderr);

    /// <summary>The complete lines of stdout so far (a line still being written is not one yet).</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            string[] lines = Stdout.Split('\n');
            return lines[..^1].Select(l => l.TrimEnd('\r')).ToList();
        }
    }

    private async Task PumpAsync(StreamReader reader, StringBuilder stream)
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_all)
                {
                    _all.Append(buffer, 0, read);
                    stream.Append(buffer, 0, read);
                    _log?.Write(buffer, 0, read);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was disposed while its output was still open: nothing more will come.
        }
    }

    private string Text(StringBuilder text)
    {
        lock (_all)
        {
            return text.ToString();
        }
    }
}
