namespace Metal3.Cli;

/// <summary>A failure the user should read: printed as one message, the process exits with <see cref="ExitCode"/>.</summary>
public class CliException(string message, int exitCode = ExitCodes.Error, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
