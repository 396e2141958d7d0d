using System.Net;
using Metal3.Cli.Api;
using Metal3.Cli.Output;
using Metal3.Contracts.Api;
using Metal3.Core.Hosts;
using Metal3.Core.Provisioning;
using Spectre.Console;

namespace Metal3.Cli.Commands;

/// <summary>
/// <c>--wait</c>: polls the host once a second until a condition holds or it reports an error. Polling, not the watch
/// stream, so waiting works against any daemon and survives a daemon restart.
/// </summary>
public static class HostWaits
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>What a poll concluded: keep waiting (null), done, or failed with a message.</summary>
    public sealed record Verdict(bool Done, string? Failure);

    public static readonly Verdict KeepWaiting = new(false, null);
    public static readonly Verdict Reached = new(true, null);

    /// <summary>The host's error, as a failure verdict, when it has one.</summary>
    public static Verdict? ErrorOf(HostResponse host) =>
        host.Status is { OperationalStatus: OperationalStatus.Error } status
            ? new Verdict(true, $"{(status.ErrorType is { } type ? OpenEnums.NameOf(type) : "")}: {status.ErrorMessage}")
            : null;

    /// <summary>Done when the host's provisioning state is <paramref name="state"/>; failed when it reports an error.</summary>
    public static Func<HostResponse, Verdict> StateIs(ProvisioningState state) =>
        host => ErrorOf(host) ?? (host.Status?.Provisioning?.State == state ? Reached : KeepWaiting);

    /// <summary>Waits with a progress bar fed by the deploy agent's bytes written (a line per change when piped).</summary>
    public static async Task WaitWithProgressAsync(Metal3Api api, string name, TimeSpan timeout, Func<HostResponse, Verdict> judge,
        CancellationToken ct)
    {
        if (!Terminal.IsInteractive)
        {
            await WaitAsync(api, name, timeout, judge, ct);
            return;
        }
        await Terminal.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(name, maxValue: 100);
                task.IsIndeterminate = true;
                await PollAsync(api, name, timeout, judge, host =>
                {
                    var p = host.Status?.Provisioning?.Progress;
                    long written = p?.BytesWritten ?? 0;
                    long total = p?.BytesTotal ?? 0;
                    task.Description = Markup.Escape($"{name}: {HostColumns.State(host)}");
                    if (total > 0)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = total;
                        task.Value = Math.Min(written, total);
                    }
                }, ct);
                if (!task.IsIndeterminate)
                {
                    task.Value = task.MaxValue;
                }
                task.StopTask();
            });
    }

    /// <summary>Waits and prints a line whenever the state or the progress changes.</summary>
    public static Task WaitAsync(Metal3Api api, string name, TimeSpan timeout, Func<HostResponse, Verdict> judge, CancellationToken ct)
    {
        string? last = null;
        return PollAsync(api, name, timeout, judge, host =>
        {
            string state = HostColumns.State(host);
            string progress = host.Status?.Provisioning?.Progress is { BytesWritten: var w } p
                ? p.BytesTotal is long t and > 0 ? $" {100 * w / t}%" : $" {w} bytes"
                : "";
            string line = $"host/{name}: {state}{progress}";
            if (line != last)
            {
                GlobalOptions.Say(line);
                last = line;
            }
        }, ct);
    }

    /// <summary>Waits until the host is gone (404).</summary>
    public static async Task WaitGoneAsync(Metal3Api api, string name, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (await api.FindHostAsync(name, deadline.Token) is { } host)
            {
                if (ErrorOf(host.Value) is { } error)
                {
                    GlobalOptions.Note($"host/{name} reports {error.Failure}; still waiting for the daemon to retry");
                }
                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"host/{name} still exists after {timeout}");
        }
    }

    private static async Task PollAsync(Metal3Api api, string name, TimeSpan timeout, Func<HostResponse, Verdict> judge,
        Action<HostResponse> show, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                HostResponse host;
                try
                {
                    host = (await api.GetHostAsync(name, deadline.Token)).Value;
                }
                catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.NotFound)
                {
                    throw new CliException($"host/{name} was removed while waiting", ExitCodes.NotFound);
                }
                show(host);
                var verdict = judge(host);
                if (verdict.Failure is not null)
                {
                    throw new CliException($"host/{name} failed: {verdict.Failure}");
                }
                if (verdict.Done)
                {
                    return;
                }
                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"host/{name}: gave up waiting after {timeout}");
        }
    }
}
