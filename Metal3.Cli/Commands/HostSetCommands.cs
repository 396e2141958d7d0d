using System.CommandLine;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using Metal3.Core.Claims;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>hostsets create|list|get|scale|delete</c>.</summary>
public static class HostSetCommands
{
    /// <summary>The label every claim of a set carries (the daemon's <c>HostSetSpec.OwnerLabel</c>).</summary>
    private const string OwnerLabel = Metal3.Core.HostSets.HostSetSpec.OwnerLabel;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var name = SetName();
        var replicas = new Option<int>("--replicas", "-r") { Description = "How many claims (hosts) the set keeps", DefaultValueFactory = _ => 1 };
        var selector = new Option<string?>("--selector", "-l") { Description = "Which hosts may be claimed: key=value, key!=value, key, !key (comma-separated)" };
        var labels = new Option<string[]>("--label") { Description = "A label of the set's claims, key=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var hardware = new HardwareOptions();
        var image = new Option<string>("--image") { Description = "URL of the image every host of the set runs", Required = true };
        var checksum = new Option<string?>("--checksum") { Description = "The image's checksum (hex)" };
        var userData = new Option<FileInfo?>("--user-data") { Description = "A file of cloud-init user data for the config drive" };
        var wait = Wait("every replica is provisioned");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("create", "Create a host set; it claims and provisions its hosts as they are free")
        {
            name, replicas, selector, labels, hardware.MinCpus, hardware.MinMemory, hardware.MinDisk, image, checksum, userData, wait, timeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string set = r.GetValue(name)!;
            var template = new JsonObject { ["image"] = new JsonObject { ["url"] = r.GetValue(image), ["checksum"] = r.GetValue(checksum) } };
            if (r.GetValue(labels) is { Length: > 0 } given)
            {
                template["labels"] = ClaimCommands.Labels(given);
            }
            if (r.GetValue(userData) is { } file)
            {
                template["userData"] = await ClaimCommands.ReadFileAsync(file, ct);
            }
            var body = new JsonObject { ["name"] = set, ["replicas"] = r.GetValue(replicas), ["template"] = template };
            if (r.GetValue(selector) is { } s)
            {
                body["labelSelector"] = s;
            }
            if (hardware.Read(r) is { } minimums)
            {
                body["hardware"] = minimums;
            }
            using var api = Connect(r);
            await api.CreateHostSetAsync(body, ct);
            Say($"hostset/{set} created");
            if (r.GetValue(wait))
            {
                await WaitSettledAsync(api, set, r.GetValue(timeout), ct);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List() => ResourceReadCommands.List<HostSetResponse>(
        "List host sets as a table (NAME, REPLICAS, BOUND, READY, UPDATED, IMAGE, AGE)", "Only sets whose template labels match",
        "No host sets found.", (api, selector, ct) => api.ListHostSetsAsync(selector, ct), HostSetTable);

    public static Command Get() => ResourceReadCommands.Get<HostSetResponse>(
        "Show one host set (-o yaml or -o json for everything)", SetName(), (api, name, ct) => api.GetHostSetAsync(name, ct), HostSetTable);

    public static Command Scale()
    {
        var name = SetName();
        var replicas = new Option<int>("--replicas", "-r") { Description = "How many claims (hosts) the set keeps from now on", Required = true };
        var wait = Wait("the set has exactly that many claims, every one provisioned (and the hosts of the others freed)");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("scale", "Change how many hosts a set keeps: pending claims go first, then the newest") { name, replicas, wait, timeout };
        command.SetAction(async (r, ct) =>
        {
            string set = r.GetValue(name)!;
            using var api = Connect(r);
            await api.PatchHostSetAsync(set, new JsonObject { ["replicas"] = r.GetValue(replicas) }, ct);
            Say($"hostset/{set} scaled to {r.GetValue(replicas)}");
            if (r.GetValue(wait))
            {
                await WaitSettledAsync(api, set, r.GetValue(timeout), ct);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Delete()
    {
        var name = SetName();
        var wait = Wait("every claim of the set is released (its host cleaned and free) and the set is gone");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("delete", "Delete a host set and its claims: their hosts are deprovisioned (cleaned) and freed") { name, wait, timeout };
        command.Aliases.Add("rm");
        command.SetAction(async (r, ct) =>
        {
            string set = r.GetValue(name)!;
            using var api = Connect(r);
            await api.DeleteHostSetAsync(set, ct);
            Say($"hostset/{set} deletion requested");
            if (r.GetValue(wait))
            {
                await PollAsync(set, r.GetValue(timeout), async token => await api.FindHostSetAsync(set, token) is null ? "deleted" : null, ct);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static string HostSetTable(IEnumerable<HostSetResponse> sets, DateTimeOffset now)
    {
        var table = new TextTable(["NAME", "REPLICAS", "BOUND", "READY", "UPDATED", "IMAGE", "AGE"]);
        foreach (var s in sets)
        {
            table.Add([s.Name, $"{s.Status?.Replicas}/{s.Replicas}", $"{s.Status?.BoundReplicas}", $"{s.Status?.ReadyReplicas}",
                $"{s.Status?.UpdatedReplicas}", s.Template?.Image?.Url ?? "", s.CreatedAt == default ? "" : HostColumns.Age(now - s.CreatedAt)]);
        }
        return table.ToString();
    }

    /// <summary>
    /// Until the set's claims are exactly its replicas, each Provisioned from the current template, none still releasing:
    /// then the scale (or rollout) is done and the hosts it let go are free.
    /// </summary>
    private static Task WaitSettledAsync(Metal3Api api, string set, TimeSpan timeout, CancellationToken ct) =>
        PollAsync(set, timeout, async token =>
        {
            var current = await api.FindHostSetAsync(set, token) ?? throw new CliException($"hostset/{set} was deleted while waiting", ExitCodes.NotFound);
            var claims = await api.ListClaimsAsync($"{OwnerLabel}={set}", token);
            var spec = current.Value;
            bool settled = claims.Count == spec.Replicas
                && claims.All(c => c.Value.Status.Phase == ClaimPhase.Provisioned && c.Value.TemplateHash == spec.Status.TemplateHash);
            return settled ? $"{spec.Replicas} replicas provisioned" : null;
        }, ct);

    /// <summary>Polls <paramref name="done"/> (which returns what to say when it is) until it is or the time is up.</summary>
    private static async Task PollAsync(string set, TimeSpan timeout, Func<CancellationToken, Task<string?>> done, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            string? said;
            while ((said = await done(deadline.Token)) is null)
            {
                await Task.Delay(Interval, deadline.Token);
            }
            Say($"hostset/{set} {said}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"hostset/{set}: gave up waiting after {timeout}");
        }
    }

    private static Argument<string> SetName() => new("NAME") { Description = "The host set's name" };
}
