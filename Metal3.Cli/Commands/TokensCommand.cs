using System.CommandLine;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>metal3ctl tokens create|list|revoke</c>: API tokens (admin only).</summary>
public static class TokensCommand
{
    public static Command Create() => new("tokens", "Create, list and revoke API tokens (needs an admin token)")
    {
        CreateToken(),
        List(),
        Revoke(),
    };

    private static Command CreateToken()
    {
        var role = new Option<string>("--role")
        {
            Description = "reader (GET only) or admin (everything)",
            Required = true,
        };
        role.AcceptOnlyFromAmong("reader", "admin");
        var name = new Option<string>("--name")
        {
            Description = "What the token is for, e.g. ci or grafana; unique, and what events name as the actor (token:NAME)",
            Required = true,
        };
        var expiresIn = new Option<TimeSpan?>("--expires-in")
        {
            Description = "Stop working after this long (e.g. 12h, 30d); without it the token works until revoked",
            CustomParser = arg => ParseDuration(arg.Tokens.Single().Value) ?? NotADuration(arg),
        };
        var output = OutputOption("json, yaml");
        var command = new Command("create", "Create a token; it is printed once, on standard output, and cannot be shown again")
        {
            role, name, expiresIn, output,
        };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var expiresAt = r.GetValue(expiresIn) is { } lifetime ? DateTimeOffset.UtcNow + lifetime : (DateTimeOffset?)null;
            var token = await api.CreateTokenAsync(r.GetValue(name)!, r.GetValue(role)!, expiresAt, ct);
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
        var command = new Command("list", "List the tokens not revoked: name, role, expiry, last use (never the secrets)") { output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var tokens = await api.ListTokensAsync(ct);
            if (!StructuredOutput.TryWrite(format, StructuredOutput.List(tokens)))
            {
                var table = new TextTable(["NAME", "ROLE", "CREATED", "EXPIRES", "LAST USED"]);
                foreach (var t in tokens.Select(t => t.Value))
                {
                    table.Add([t.Name ?? "", t.Role ?? "", DaemonJson.Timestamp(t.CreatedAt), Optional(t.ExpiresAt, "never"),
                        Optional(t.LastUsedAt, "-")]);
                }
                table.WriteTo(Console.Out);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke()
    {
        var name = new Argument<string>("NAME") { Description = "The token's name (see tokens list)" };
        var command = new Command("revoke", "Revoke a token: every daemon sharing the database refuses it within a second, for good")
        {
            name,
        };
        command.SetAction(async (r, ct) =>
        {
            using var api = Connect(r);
            await api.RevokeTokenAsync(r.GetValue(name)!, ct);
            Say($"token/{r.GetValue(name)} revoked");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Optional(DateTimeOffset? time, string absent) => time is { } t ? DaemonJson.Timestamp(t) : absent;

    private static TimeSpan? NotADuration(System.CommandLine.Parsing.ArgumentResult arg)
    {
        arg.AddError($"'{arg.Tokens.Single().Value}' is not a duration such as 12h or 30d");
        return null;
    }
}
