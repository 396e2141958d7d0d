using Spectre.Console;

namespace Metal3.Cli.Output;

/// <summary>
/// Standard output as a Spectre console, for the progress bar and the live watch; piped output gets no colours or
/// cursor movement (the commands print plain lines instead).
/// </summary>
public static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    public static bool IsInteractive => !Console.IsOutputRedirected;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
        {
            console.Profile.Width = 4096;
        }
        return console;
    }
}
