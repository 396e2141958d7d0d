using System.CommandLine;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>list</c> and <c>get</c> of a resource other than hosts (claims, host sets): a table by default, the daemon's JSON
/// with <c>-o json|yaml</c>. Only what is fetched and how the table looks differ.
/// </summary>
public static class ResourceReadCommands
{
    public static Command List<T>(string description, string selectorDescription, string noneFound,
        Func<Metal3Api, string?, CancellationToken, Task<IReadOnlyList<Received<T>>>> fetch,
        Func<IReadOnlyList<T>, DateTimeOffset, string> table)
    {
        var selector = new Option<string?>("--selector", "-l") { Description = selectorDescription };
        var output = OutputOption("json, yaml");
        var command = new Command("list", description) { selector, output };
        command.Aliases.Add("ls");
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var items = await fetch(api, r.GetValue(selector), ct);
            if (!StructuredOutput.TryWrite(format, StructuredOutput.List(items)))
            {
                if (items.Count == 0)
                {
                    Note(noneFound);
                }
                else
                {
                    Console.Out.Write(table(items.Select(i => i.Value).ToList(), DateTimeOffset.UtcNow));
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Get<T>(string description, Argument<string> name,
        Func<Metal3Api, string, CancellationToken, Task<Received<T>>> fetch,
        Func<IReadOnlyList<T>, DateTimeOffset, string> table)
    {
        var output = OutputOption("json, yaml");
        var command = new Command("get", description) { name, output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var item = await fetch(api, r.GetValue(name)!, ct);
            if (!StructuredOutput.TryWrite(format, item.Json))
            {
                Console.Out.Write(table([item.Value], DateTimeOffset.UtcNow));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
