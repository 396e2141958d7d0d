using System.Text;

namespace Metal3.Testing;

/// <summary>How a program the test ran ended: its exit code and what it printed (both outputs in order, and each apart).</summary>
public sealed record RunResult(int ExitCode, string Output)
{
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
}
