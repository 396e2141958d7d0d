using System.CommandLine;
using System.Text.Json.Nodes;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>hosts power on|off|reboot NAME</c>. On and off set the desired state (<c>spec.online</c>), which the daemon keeps
/// enforcing; reboot is a one-off action.
/// </summary>
public static class PowerCommand
{
    public static Command Create() => new("power", "Power a host on or off (spec.online), or reboot it")
    {
        Switch("on", true),
        Switch("off", false),
        Reboot(),
    };

    private static Command Switch(string verb, bool online)
    {
        var name = HostName();
        var wait = Wait($"the BMC reports the host powered {verb}");
        var timeout = Timeout(TimeSpan.FromMinutes(10));
        var command = new Command(verb, $"Set spec.online={online.ToString().ToLowerInvariant()}: the daemon powers the host {verb} and keeps it so")
        {
            name, wait, timeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            using var api = Connect(r);
            await api.PatchAsync(host, new JsonObject { ["online"] = online }, ct);
            Say($"host/{host} power {verb} requested");
            if (r.GetValue(wait))
            {
                await HostWaits.WaitAsync(api, host, r.GetValue(timeout), h => HostWaits.ErrorOf(h)
                    ?? (h.Status?.PoweredOn == online ? HostWaits.Reached : HostWaits.KeepWaiting), ct);
                Say($"host/{host} powered {verb}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reboot()
    {
        var name = HostName();
        var command = new Command("reboot", "Reboot a host (actions/reboot)") { name };
        command.SetAction(async (r, ct) =>
        {
            string host = r.GetValue(name)!;
            using var api = Connect(r);
            await api.ActionAsync(host, "reboot", ct);
            Say($"host/{host} reboot requested");
            return ExitCodes.Success;
        });
        return command;
    }
}
