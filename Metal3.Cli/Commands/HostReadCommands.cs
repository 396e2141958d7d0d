using System.CommandLine;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>hosts list</c>, <c>hosts get</c>, <c>hosts events</c>: reads only.</summary>
public static class HostReadCommands
{
    public static Command List()
    {
        var selector = new Option<string?>("--selector", "-l")
        {
            Description = "Label selector: key=value, key!=value, key, !key; comma-separated terms must all match",
        };
        var state = new Option<string?>("--state") { Description = "Only hosts in this provisioning state (comma-separated for several)" };
        var output = OutputOption("wide, json, yaml");
        var command = new Command("list", "List hosts as a table (NAME, STATE, CONSUMER, ONLINE, POWER, BMC, ERROR, AGE)")
        {
            selector, state, output,
        };
        command.Aliases.Add("ls");
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var page = await api.ListHostsAsync(r.GetValue(selector), r.GetValue(state), ct);
            var list = StructuredOutput.List(page.Items);
            if (page.ResourceVersion is not null)
            {
                list["resourceVersion"] = page.ResourceVersion;
            }
            if (!StructuredOutput.TryWrite(format, list))
            {
                WriteTable(page.Items.Select(h => h.Value).ToList(), format == OutputFormat.Wide);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Get()
    {
        var name = HostName();
        var output = OutputOption("wide, json, yaml");
        var command = new Command("get", "Show one host (-o yaml or -o json for everything, status included)") { name, output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var host = await api.GetHostAsync(r.GetValue(name)!, ct);
            if (!StructuredOutput.TryWrite(format, host.Json))
            {
                WriteTable([host.Value], format == OutputFormat.Wide);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Events()
    {
        var name = HostName();
        var output = OutputOption("json, yaml");
        var command = new Command("events", "A host's history: state transitions, errors, operator actions (oldest first)") { name, output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var events = await api.EventsAsync(r.GetValue(name)!, ct);
            if (StructuredOutput.TryWrite(format, StructuredOutput.List(events)))
            {
                return ExitCodes.Success;
            }
            var table = new TextTable(["TIME", "TYPE", "REASON", "FROM", "TO", "MESSAGE"]);
            foreach (var e in events.Select(e => e.Value))
            {
                string time = e.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                table.Add([time, e.Type, e.Reason, e.FromState ?? "", e.ToState ?? "", e.Message]);
            }
            table.WriteTo(Console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Describe()
    {
        var name = HostName();
        var command = new Command("describe",
            "Everything about one host for a person: spec and status, hardware, the last error, time in its state, the newest events")
        {
            name,
        };
        command.SetAction(async (r, ct) =>
        {
            using var api = Connect(r);
            var host = await api.GetHostAsync(r.GetValue(name)!, ct);
            var events = await api.EventsAsync(host.Value.Name, ct);
            Console.Out.Write(HostDescription.Render(host.Value, events.Select(e => e.Value).ToList(), DateTimeOffset.UtcNow));
            return ExitCodes.Success;
        });
        return command;
    }

    public static string HostTable(IEnumerable<HostResponse> hosts, bool wide, DateTimeOffset now)
    {
        var table = new TextTable(wide ? HostColumns.Wide : HostColumns.Narrow);
        foreach (var host in hosts)
        {
            table.Add(HostColumns.Row(host, wide, now));
        }
        return table.ToString();
    }

    public static void WriteTable(IReadOnlyList<HostResponse> hosts, bool wide)
    {
        if (hosts.Count == 0)
        {
            Note("No hosts found.");
            return;
        }
        var now = DateTimeOffset.UtcNow;
        Console.Out.Write(HostTable(hosts, wide, now));
    }
}
