using System.CommandLine;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using Metal3.Core.Claims;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary><c>claims create|list|get|delete</c>.</summary>
public static class ClaimCommands
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var name = ClaimName();
        var selector = new Option<string?>("--selector", "-l") { Description = "Which hosts may be claimed: key=value, key!=value, key, !key (comma-separated)" };
        var labels = new Option<string[]>("--label") { Description = "A label of the claim itself, key=value (repeatable)", AllowMultipleArgumentsPerToken = false };
        var hardware = new HardwareOptions();
        var image = new Option<string?>("--image") { Description = "URL of an image to provision on the claimed host" };
        var checksum = new Option<string?>("--checksum") { Description = "The image's checksum (hex); required with --image" };
        var userData = new Option<FileInfo?>("--user-data") { Description = "A file of cloud-init user data for the config drive" };
        var wait = Wait("the claim holds a host (with --image: until the host is provisioned)");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("create", "Claim a free host that matches; the claim waits (Pending) until one is free")
        {
            name, selector, labels, hardware.MinCpus, hardware.MinMemory, hardware.MinDisk, image, checksum, userData, wait, timeout,
        };
        command.SetAction(async (r, ct) =>
        {
            string claim = r.GetValue(name)!;
            var body = new JsonObject { ["name"] = claim };
            if (r.GetValue(selector) is { } s)
            {
                body["labelSelector"] = s;
            }
            if (r.GetValue(labels) is { Length: > 0 } given)
            {
                body["labels"] = Labels(given);
            }
            if (hardware.Read(r) is { } minimums)
            {
                body["hardware"] = minimums;
            }
            if (r.GetValue(image) is { } url)
            {
                body["image"] = new JsonObject { ["url"] = url, ["checksum"] = r.GetValue(checksum) };
            }
            if (r.GetValue(userData) is { } file)
            {
                body["userData"] = await ReadFileAsync(file, ct);
            }
            using var api = Connect(r);
            await api.CreateClaimAsync(body, ct);
            Say($"claim/{claim} created");
            if (r.GetValue(wait))
            {
                var done = await WaitAsync(api, claim, body["image"] is null ? ClaimPhase.Bound : ClaimPhase.Provisioned, r.GetValue(timeout), ct);
                Say($"claim/{claim} {WireOf(done.Status.Phase)}: host/{done.Status.Host}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List() => ResourceReadCommands.List<ClaimResponse>(
        "List claims as a table (NAME, PHASE, HOST, SELECTOR, IMAGE, AGE)", "Only claims whose own labels match", "No claims found.",
        (api, selector, ct) => api.ListClaimsAsync(selector, ct), ClaimTable);

    public static Command Get() => ResourceReadCommands.Get<ClaimResponse>(
        "Show one claim (-o yaml or -o json for everything)", ClaimName(), (api, name, ct) => api.GetClaimAsync(name, ct), ClaimTable);

    public static Command Delete()
    {
        var name = ClaimName();
        var wait = Wait("the claim's host is deprovisioned and free, and the claim is gone");
        var timeout = Timeout(TimeSpan.FromMinutes(60));
        var command = new Command("delete", "Release a claim: its host is deprovisioned (cleaned) and freed, then the claim goes") { name, wait, timeout };
        command.Aliases.Add("rm");
        command.SetAction(async (r, ct) =>
        {
            string claim = r.GetValue(name)!;
            using var api = Connect(r);
            await api.DeleteClaimAsync(claim, ct);
            Say($"claim/{claim} release requested");
            if (r.GetValue(wait))
            {
                await WaitGoneAsync(api, claim, r.GetValue(timeout), ct);
                Say($"claim/{claim} released");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static string ClaimTable(IEnumerable<ClaimResponse> claims, DateTimeOffset now)
    {
        var table = new TextTable(["NAME", "PHASE", "HOST", "SELECTOR", "IMAGE", "AGE"]);
        foreach (var c in claims)
        {
            table.Add([c.Name, c.Status is null ? "" : WireOf(c.Status.Phase), c.Status?.Host ?? "", c.LabelSelector ?? "",
                c.Image?.Url ?? "", c.CreatedAt == default ? "" : HostColumns.Age(now - c.CreatedAt)]);
        }
        return table.ToString();
    }

    /// <summary>Polls until the claim reaches <paramref name="phase"/> (Provisioned counts for Bound), printing each change.</summary>
    private static async Task<ClaimResponse> WaitAsync(Metal3Api api, string name, ClaimPhase phase, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        string? last = null;
        try
        {
            while (true)
            {
                var claim = await api.FindClaimAsync(name, deadline.Token)
                    ?? throw new CliException($"claim/{name} was removed while waiting", ExitCodes.NotFound);
                var status = claim.Value.Status;
                string line = $"claim/{name}: {(status is null ? "" : WireOf(status.Phase))} {status?.Message}".TrimEnd();
                if (line != last)
                {
                    Say(line);
                    last = line;
                }
                if (status is not null && (status.Phase == phase || (phase == ClaimPhase.Bound && status.Phase == ClaimPhase.Provisioned)))
                {
                    return claim.Value;
                }
                if (status?.Phase == ClaimPhase.Releasing)
                {
                    throw new CliException($"claim/{name} is being released (someone deleted it) while waiting");
                }
                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"claim/{name}: gave up waiting after {timeout}");
        }
    }

    private static async Task WaitGoneAsync(Metal3Api api, string name, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (await api.FindClaimAsync(name, deadline.Token) is not null)
            {
                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"claim/{name} still exists after {timeout}");
        }
    }

    internal static JsonObject Labels(string[] pairs)
    {
        var labels = new JsonObject();
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new CliException($"--label {pair}: expected key=value", ExitCodes.Usage);
            }
            labels[pair[..eq]] = pair[(eq + 1)..];
        }
        return labels;
    }

    internal static async Task<string> ReadFileAsync(FileInfo file, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, ct);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot read {file.FullName}: {e.Message}", ExitCodes.Usage);
        }
    }

    private static string WireOf(ClaimPhase phase) => OpenEnums.NameOf(phase);

    private static Argument<string> ClaimName() => new("NAME") { Description = "The claim's name" };
}
