using System.CommandLine;
using Metal3.Cli.Commands;

namespace Metal3.Cli;

/// <summary>The command tree and how a run ends: usage errors exit 2, failures print one readable message.</summary>
public static class Metal3Ctl
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "metal3ctl: operate a metal3 bare-metal provisioning daemon over its REST API.\n" +
            "Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 unauthorized/forbidden, 5 daemon unreachable.")
        {
            HostsCommand.Create(),
            ClaimsCommand.Create(),
            HostSetsCommand.Create(),
            DiscoveredCommand.Create(),
            TokensCommand.Create(),
        };
        root.Options.Add(GlobalOptions.Url);
        root.Options.Add(GlobalOptions.Token);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var result = Create().Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }
            string path = string.Join(' ', CommandPath(result.CommandResult));
            Console.Error.WriteLine($"Run '{path} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("interrupted");
            return ExitCodes.Interrupted;
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult? command)
    {
        var names = new Stack<string>();
        for (var c = command; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(c.Parent is null ? "metal3ctl" : c.Command.Name);
        }
        return names;
    }
}
