using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;
using static Metal3.Cli.Commands.GlobalOptions;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>hosts watch</c>: lists the hosts, then follows the watch API (<c>GET /api/v1/hosts?watch=true</c>, server-sent
/// events) from the list's resource version. In a terminal the table updates in place; piped, every change is a line
/// (like <c>kubectl get -w</c>). When the daemon says the version is too old (410) it lists again; when the stream
/// ends it resumes from the last event id.
/// </summary>
public static class WatchCommand
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var selector = new Option<string?>("--selector", "-l") { Description = "Only hosts whose labels match (key=value,…)" };
        var command = new Command("watch", "A live table of hosts that updates as they change (Ctrl+C to stop)") { selector };
        command.SetAction(async (r, ct) =>
        {
            using var api = Connect(r);
            var view = new WatchView(Terminal.IsInteractive);
            try
            {
                if (view.Interactive)
                {
                    await Terminal.Out.Live(view.Render(api.Settings.Url, Terminal.Out.Profile.Width)).AutoClear(false)
                        .StartAsync(ctx => FollowAsync(api, r.GetValue(selector), view, () =>
                        {
                            ctx.UpdateTarget(view.Render(api.Settings.Url, Terminal.Out.Profile.Width));
                            ctx.Refresh();
                        }, ct));
                }
                else
                {
                    view.WriteHeader();
                    await FollowAsync(api, r.GetValue(selector), view, () => { }, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task FollowAsync(Metal3Api api, string? selector, WatchView view, Action changed, CancellationToken ct)
    {
        string? resourceVersion = null;
        bool listed = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!listed)
                {
                    var page = await api.ListHostsAsync(selector, null, ct);
                    view.Replace(page.Items);
                    resourceVersion = page.ResourceVersion;
                    listed = true;
                    changed();
                }
                await foreach (var e in api.WatchAsync(selector, resourceVersion, ct))
                {
                    resourceVersion = e.Id ?? resourceVersion;
                    if (WatchEvent.Parse(e) is { } change)
                    {
                        view.Apply(change);
                        changed();
                    }
                }
            }
            catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.Gone)
            {
                listed = false; // too far behind: the daemon no longer has the changes since our version
                continue;
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.Unreachable)
            {
                Note($"{e.Message} Retrying.");
            }
            await Task.Delay(Reconnect, ct);
        }
    }
}

/// <summary>One change of the watch stream: <c>{"type": "ADDED|MODIFIED|DELETED", "object": host}</c>.</summary>
public sealed record WatchEvent(string Type, JsonObject Host)
{
    public static WatchEvent? Parse(ServerSentEvent e)
    {
        try
        {
            if (JsonNode.Parse(e.Data) is JsonObject body && body["object"] is JsonObject host)
            {
                string type = body["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : e.Type;
                return new WatchEvent(type, (JsonObject)host.DeepClone());
            }
        }
        catch (JsonException)
        {
        }
        return null; // not a host change (a bookmark, an unknown event): nothing to show
    }
}

/// <summary>The hosts a watch knows about, and how they are shown.</summary>
public sealed class WatchView(bool interactive)
{
    private static readonly int[] Widths = [9, 20, 24, 14, 7, 6, 32, 24, 5];
    private readonly SortedDictionary<string, JsonObject> hosts = new(StringComparer.Ordinal);
    private string lastEvent = "";

    public bool Interactive { get; } = interactive;

    public void Replace(IEnumerable<JsonObject> items)
    {
        hosts.Clear();
        foreach (var host in items)
        {
            hosts[HostColumns.Text(host, "name")] = host;
            WriteLine("ADDED", host);
        }
    }

    public void Apply(WatchEvent change)
    {
        string name = HostColumns.Text(change.Host, "name");
        if (change.Type == "DELETED")
        {
            hosts.Remove(name);
        }
        else
        {
            hosts[name] = change.Host;
        }
        lastEvent = $"{change.Type} {name} ({HostColumns.Text(change.Host, "status", "provisioning", "state")})";
        WriteLine(change.Type, change.Host);
    }

    public IRenderable Render(Uri url, int width)
    {
        var table = new Text(Crop(HostReadCommands.HostTable(hosts.Values, wide: false, DateTimeOffset.UtcNow), width));
        var caption = new Text(Crop($"{hosts.Count} hosts at {url} · last: {(lastEvent.Length == 0 ? "-" : lastEvent)} · Ctrl+C to stop", width),
            new Style(decoration: Decoration.Dim));
        return new Rows(table, caption);
    }

    /// <summary>Every line cut to the terminal's width: a live view redraws in place only if a host stays one line.</summary>
    public static string Crop(string text, int width) =>
        string.Join('\n', text.TrimEnd('\n').Split('\n').Select(l => l.Length > width - 1 ? l[..Math.Max(0, width - 1)] : l));

    public void WriteHeader()
    {
        if (!Interactive)
        {
            Console.Out.WriteLine(Line(["EVENT", .. HostColumns.Narrow]));
        }
    }

    private void WriteLine(string type, JsonObject host)
    {
        if (!Interactive)
        {
            Console.Out.WriteLine(Line([type, .. HostColumns.Row(host, wide: false, DateTimeOffset.UtcNow)]));
            Console.Out.Flush();
        }
    }

    private static string Line(IReadOnlyList<string> cells)
    {
        var line = new StringBuilder();
        for (int i = 0; i < cells.Count; i++)
        {
            line.Append(cells[i].PadRight(i < Widths.Length ? Widths[i] : 0)).Append("   ");
        }
        return line.ToString().TrimEnd();
    }
}
