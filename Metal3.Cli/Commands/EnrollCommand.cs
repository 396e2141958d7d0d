using System.CommandLine;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Hosts;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>hosts enroll -f FILE</c>: makes the daemon's hosts match the file, like <c>kubectl apply</c>. A new host is
/// created, a host whose spec differs is replaced (conditional on the version just read, so a concurrent change is
/// reported, not overwritten), an identical one is left alone: running the same file twice changes nothing.
/// </summary>
public static class EnrollCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--filename", "-f")
        {
            Description = "YAML or JSON file of hosts: one host, a list, {items: [...]}, or several YAML documents ('-' reads stdin)",
            Required = true,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Send every host again even when its spec is unchanged (e.g. to set a new BMC password)",
        };
        var command = new Command("enroll", "Enroll hosts from a file, or update them to match it (idempotent)") { file, force };
        command.Aliases.Add("apply");
        command.SetAction(async (r, ct) =>
        {
            var hosts = HostFile.Read(r.GetValue(file)!);
            using var api = Connect(r);
            int exit = ExitCodes.Success;
            foreach (var host in hosts)
            {
                string label = $"host/{HostFile.NameOf(host) ?? "(no name)"}";
                try
                {
                    Say($"{label} {await ApplyAsync(api, host, r.GetValue(force), ct)}");
                }
                catch (ApiProblemException e)
                {
                    // One bad host must not stop the others: report it, go on, and exit non-zero at the end.
                    Note($"error: {label}: {e.Message}");
                    exit = exit == ExitCodes.Success ? e.ExitCode : exit;
                }
            }
            return exit;
        });
        return command;
    }

    /// <summary>Returns what happened: created, configured or unchanged.</summary>
    public static async Task<string> ApplyAsync(Metal3Api api, JsonObject fileHost, bool force, CancellationToken ct)
    {
        var body = HostSpecs.RequestBody(fileHost);
        string? name = HostFile.NameOf(fileHost);
        var stored = name is null ? null : await api.FindHostAsync(name, ct);
        if (stored is null)
        {
            await api.EnrollAsync(body, ct);
            return "created";
        }
        // The file is JSON, so the stored host is compared as its JSON too (HostSpecs brings both to one form).
        if (!force && HostSpecs.SameSpec(fileHost, stored.Json))
        {
            return "unchanged";
        }
        string before = stored.Value.ResourceVersion;
        var after = await api.ReplaceAsync(name!, body, before, ct);
        return after.Value.ResourceVersion == before ? "unchanged" : "configured";
    }
}
