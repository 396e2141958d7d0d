using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>metal3ctl discovered list|get|enroll</c>: machines that booted the deploy agent but match no host (network boot
/// with <c>Metal3:Pxe:Dhcp:Discovery</c>), and enrolling one as a host with its BMC credentials.
/// </summary>
public static class DiscoveredCommand
{
    public const string PasswordVariable = "METAL3_BMC_PASSWORD";

    public static Command Create() => new("discovered", "Machines that booted the agent but match no host; enroll them")
    {
        List(),
        Get(),
        Enroll(),
    };

    private static Command List()
    {
        var output = OutputOption("json, yaml");
        var command = new Command("list", "List discovered machines, most recently seen first") { output };
        command.SetAction(async (r, ct) =>
        {
            var format = Format(r, output);
            using var api = Connect(r);
            var machines = await api.ListDiscoveredAsync(ct);
            if (!StructuredOutput.TryWrite(format, StructuredOutput.List(machines)))
            {
                var now = DateTimeOffset.UtcNow;
                var table = new TextTable(["ID", "MACS", "BMC", "CPUS", "RAM-MIB", "DISKS", "VENDOR", "FIRST-SEEN", "LAST-SEEN"]);
                foreach (var m in machines.Select(m => m.Value))
                {
                    table.Add([m.Id, string.Join(',', m.Macs ?? []), m.BmcAddress ?? "", m.Summary?.CpuCount?.ToString(CultureInfo.InvariantCulture) ?? "",
                        m.Summary?.RamMebibytes?.ToString(CultureInfo.InvariantCulture) ?? "", $"{m.Summary?.DiskCount ?? 0}/{m.Summary?.DiskGigabytes ?? 0}G",
                        Vendor(m.Summary), HostColumns.Age(now - m.FirstSeenAt) + " ago", HostColumns.Age(now - m.LastSeenAt) + " ago"]);
                }
                table.WriteTo(Console.Out);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("ID") { Description = "The discovered machine's ID (from discovered list)" };
        var output = OutputOption("json, yaml");
        var command = new Command("get", "Show a discovered machine with its whole inventory (JSON unless -o yaml)") { id, output };
        command.SetAction(async (r, ct) =>
        {
            using var api = Connect(r);
            var machine = await api.GetDiscoveredAsync(r.GetValue(id)!, ct);
            var format = Format(r, output);
            if (!StructuredOutput.TryWrite(format, machine.Json))
            {
                StructuredOutput.TryWrite(OutputFormat.Json, machine.Json);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Enroll()
    {
        var id = new Argument<string>("ID") { Description = "The discovered machine's ID (from discovered list)" };
        var name = new Option<string>("--name") { Description = "The host's name (a DNS label)", Required = true };
        var bmc = new Option<string?>("--bmc")
        {
            Description = "The BMC address, e.g. ipmi://198.18.0.17 or redfish://…/redfish/v1/Systems/1 (default: ipmi:// at the address the machine reported)",
        };
        var username = new Option<string?>("--bmc-username") { Description = "The BMC user" };
        var passwordFile = new Option<string?>("--bmc-password-file")
        {
            Description = $"A file holding the BMC password ('-' reads stdin) [env: {PasswordVariable}]; never on the command line",
        };
        var labels = new Option<string[]>("--label") { Description = "A label of the host, key=value (repeatable)" };
        var bootMac = new Option<string?>("--boot-mac") { Description = "Which of the machine's MACs boots it (default: the first with a link)" };
        var offline = new Option<bool>("--offline") { Description = "Enroll the host with online=false (default: online, as it is running the agent)" };
        var command = new Command("enroll", "Enroll a discovered machine as a host with its BMC credentials; its waiting agent carries on")
        {
            id, name, bmc, username, passwordFile, labels, bootMac, offline,
        };
        command.SetAction(async (r, ct) =>
        {
            var body = new JsonObject { ["name"] = r.GetValue(name) };
            var bmcBody = new JsonObject();
            if (r.GetValue(bmc) is { } address)
            {
                bmcBody["address"] = address;
            }
            if (r.GetValue(username) is { } user)
            {
                bmcBody["username"] = user;
            }
            if (await PasswordAsync(r.GetValue(passwordFile), ct) is { } password)
            {
                bmcBody["password"] = password;
            }
            body["bmc"] = bmcBody;
            if (r.GetValue(labels) is { Length: > 0 } given)
            {
                body["labels"] = Labels(given);
            }
            if (r.GetValue(bootMac) is { } mac)
            {
                body["bootMacAddress"] = mac;
            }
            if (r.GetValue(offline))
            {
                body["online"] = false;
            }
            using var api = Connect(r);
            var host = await api.EnrollDiscoveredAsync(r.GetValue(id)!, body, ct);
            Say($"host/{host.Value.Name} enrolled (boot MAC {host.Value.BootMacAddress})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Vendor(DiscoveredSummary? s) =>
        string.Join(' ', new[] { s?.Manufacturer, s?.ProductName }.Where(v => !string.IsNullOrWhiteSpace(v)));

    private static async Task<string?> PasswordAsync(string? file, CancellationToken ct)
    {
        string? text;
        try
        {
            text = file switch
            {
                null => System.Environment.GetEnvironmentVariable(PasswordVariable),
                "-" => await Console.In.ReadToEndAsync(ct),
                _ => await File.ReadAllTextAsync(file, ct),
            };
        }
        catch (IOException e)
        {
            throw new CliException($"--bmc-password-file {file}: {e.Message}", ExitCodes.Usage);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CliException($"--bmc-password-file {file}: {e.Message}", ExitCodes.Usage);
        }
        // A file written by echo ends in a newline that is no part of the password.
        return text?.TrimEnd('\r', '\n') is { Length: > 0 } password ? password : null;
    }

    private static JsonObject Labels(string[] pairs)
    {
        var result = new JsonObject();
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new CliException($"--label {pair}: expected key=value", ExitCodes.Usage);
            }
            result[pair[..eq]] = pair[(eq + 1)..];
        }
        return result;
    }
}
