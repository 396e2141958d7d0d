using System.CommandLine;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>hosts delete</c> and <c>hosts inspect</c>.</summary>
public static class HostActionCommands
{
    public static Command Delete()
    {
        var name = HostName();
        var wait = Wait("the host is deprovisioned, powered off and removed");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("delete", "Deprovision, power off and remove a host") { name, wait, timeout };
        command.Aliases.Add("rm");
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            using var api = Connect(r);
            await api.DeleteAsync(host, ct);
            Say($"host/{host} deletion requested");
            if (r.GetValue(wait))
            {
                await HostWaits.WaitGoneAsync(api, host, r.GetValue(timeout), ct);
                Say($"host/{host} deleted");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Inspect()
    {
        var name = HostName();
        var command = new Command("inspect", "Inspect a host's hardware again") { name };
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            using var api = Connect(r);
            await api.ActionAsync(host, "inspect", ct);
            Say($"host/{host} inspection requested");
            return ExitCodes.Success;
        });
        return command;
    }
}
