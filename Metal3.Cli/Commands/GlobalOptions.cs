using System.Collections;
using System.CommandLine;
using Metal3.Cli.Api;
using Metal3.Cli.Connection;
using Metal3.Cli.Output;

namespace Metal3.Cli.Commands;

/// <summary>Options every command accepts, and the few lookups every command makes with them.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = $"The daemon's API URL [env: {ConnectionSettings.UrlVariable}; config: url; default: {ConnectionSettings.DefaultUrl}]",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = $"API bearer token [env: {ConnectionSettings.TokenVariable}; config: token; default: the local daemon's admin.token]",
        Recursive = true,
    };

    public static Metal3Api Connect(ParseResult result) =>
        new(ConnectionSettings.Resolve(result.GetValue(Url), result.GetValue(Token), Environment(), Directory.GetCurrentDirectory()));

    public static IReadOnlyDictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    public static Option<string?> OutputOption(string formats) => new("--output", "-o")
    {
        Description = $"Output format: {formats} (default: a table)",
        HelpName = "format",
    };

    public static Argument<string> HostName() => new("NAME") { Description = "The host's name" };

    public static Option<bool> Wait(string until) => new("--wait") { Description = $"Wait until {until}" };

    public static Option<TimeSpan> Timeout(TimeSpan defaultValue) => new("--timeout")
    {
        Description = "How long --wait waits (e.g. 30m, 90s, 1h)",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = arg => ParseDuration(arg.Tokens.Single().Value) ?? Fail(arg),
    };

    private static TimeSpan Fail(System.CommandLine.Parsing.ArgumentResult arg)
    {
        arg.AddError($"'{arg.Tokens.Single().Value}' is not a duration such as 90s, 30m or 1h");
        return default;
    }

    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length < 2 || !double.TryParse(text[..^1], System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out double n) || n <= 0)
        {
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var ts) && ts > TimeSpan.Zero ? ts : null;
        }
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }

    public static void Say(string message) => Console.Out.WriteLine(message);

    public static void Note(string message) => Console.Error.WriteLine(message);

    public static OutputFormat Format(ParseResult result, Option<string?> output) => StructuredOutput.Parse(result.GetValue(output));
}
