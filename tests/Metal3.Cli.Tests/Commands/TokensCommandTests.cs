using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;

namespace Metal3.Cli.Tests.Commands;

/// <summary><c>metal3ctl tokens</c> against a real daemon: create with an expiry, list what the daemon knows, revoke.</summary>
[Collection(CliDaemonCollection.Name)]
public class TokensCommandTests(CliDaemon daemon)
{
    [Fact]
    public async Task Revoke_makes_the_token_useless_and_takes_it_off_the_list()
    {
        var admin = daemon.Cli();
        var created = await admin.RunAsync("tokens", "create", "--role", "reader", "--name", "cli-revoked", "--expires-in", "30d");
        Assert.Equal(0, created.ExitCode);
        var reader = ReaderCli(created.Stdout.Trim());
        Assert.Equal(0, (await reader.RunAsync("hosts", "list")).ExitCode);
        var table = await admin.RunAsync("tokens", "list");
        string[] header = table.Stdout.Split('\n')[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["NAME", "ROLE", "CREATED", "EXPIRES", "LAST USED"], header);
        string row = table.Stdout.Split('\n').Single(l => l.StartsWith("cli-revoked ", StringComparison.Ordinal));
        Assert.DoesNotContain("never", row);

        var revoke = await admin.RunAsync("tokens", "revoke", "cli-revoked");

        Assert.Equal(0, revoke.ExitCode);
        Assert.Contains("token/cli-revoked revoked", revoke.Stdout);
        var refused = await reader.RunAsync("hosts", "list");
        for (int i = 0; i < 20 && refused.ExitCode == 0; i++)
        {
            // The daemon trusts a token it looked up for at most half a second.
            refused = await reader.RunAsync("hosts", "list");
        }
        Assert.Equal(4, refused.ExitCode);
        var tokens = JsonNode.Parse((await admin.RunAsync("tokens", "list", "-o", "json")).Stdout)!;
        Assert.DoesNotContain(tokens["items"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "cli-revoked");
    }

    [Fact]
    public async Task Revoking_an_unknown_token_exits_3_with_the_daemons_problem()
    {
        var run = await daemon.Cli().RunAsync("tokens", "revoke", "no-such-token");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("no-such-token", run.Stderr);
    }

    private Metal3CtlProcess ReaderCli(string token)
    {
        var reader = new Metal3CtlProcess(null, null);
        reader.Environment["METAL3_URL"] = daemon.Url;
        reader.Environment["METAL3_TOKEN"] = token;
        return reader;
    }
}
