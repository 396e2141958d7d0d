using System.CommandLine;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>metal3ctl tokens create|list</c>: API tokens (admin only).</summary>
public static class TokensCommand
{
    public static Command Create() => new("tokens", "Create and list API tokens (needs an admin token)")
    {
        CreateToken(),
        List(),
    };

    private static Command CreateToken()
    {
        var role = new Option<string>("--role")
        {
            Description = "reader (GET only) or admin (everything)",
            Required = true,
        };
        role.AcceptOnlyFromAmong("reader", "admin");
        var name = new Option<string>("--name") { Description = "What the token is for, e.g. ci or grafana", Required = true };
        var output = OutputOption("json, yaml");
        var command = new Command("create", "Create a token; it is printed once, on standard output, and cannot be shown again")
        {
            role, name, output,
        };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var token = await api.CreateTokenAsync(r.GetValue(name)!, r.GetValue(role)!, ct);
            if (!StructuredOutput.TryWrite(format, token.Json))
            {
                // Only the token on stdout, so that TOKEN=$(metal3ctl tokens create …) works.
                Say(token.Value.Token ?? "");
                Note($"token '{token.Value.Name}' ({token.Value.Role}) created; it is shown only this once");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List()
    {
        var output = OutputOption("json, yaml");
        var command = new Command("list", "List tokens by name and role (never the secrets)") { output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var tokens = await api.ListTokensAsync(ct);
            if (!StructuredOutput.TryWrite(format, StructuredOutput.List(tokens)))
            {
                var table = new TextTable(["NAME", "ROLE", "CREATED"]);
                foreach (var t in tokens.Select(t => t.Value))
                {
                    table.Add([t.Name ?? "", t.Role ?? "", DaemonJson.Timestamp(t.CreatedAt)]);
                }
                table.WriteTo(Console.Out);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
