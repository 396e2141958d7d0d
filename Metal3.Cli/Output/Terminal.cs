using Spectre.Console;

namespace Metal3.Cli.Output;

/// <summary>
/// Standard output and error as Spectre consoles. Piped output gets no colours and no wrapping (a table row stays one
/// line, so <c>grep</c> and <c>awk</c> work); a terminal gets both.
/// </summary>
public static class Terminal
{
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);
    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

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
