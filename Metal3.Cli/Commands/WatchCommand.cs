using System.CommandLine;
using System.Net;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Spectre.Console;
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
                    view.Replace(page.Items.Select(h => h.Value));
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
