using System.Net;
using Metal3.Core.Bmc;
using Metal3.Drivers.Redfish.Models;

namespace Metal3.Drivers.Redfish;

/// <summary>
/// Follows a long-running operation: a 202 Accepted with a <c>Location</c> is a task monitor, polled until it stops
/// answering 202 (or the Task it shows has finished), within the caller's deadline.
/// </summary>
internal static class TaskMonitor
{
    public static async Task<BmcResult> CompleteAsync(
        RedfishClient client, RedfishResponse accepted, string what, DateTimeOffset deadline, CancellationToken ct)
    {
        if (!accepted.IsSuccess) return accepted.Failure(what);
        if (accepted.Status != HttpStatusCode.Accepted || string.IsNullOrEmpty(accepted.Location))
        {
            return Outcome(accepted.Body is { } b ? RedfishTask.From(b) : null, what, accepted.Location);
        }
        string monitor = accepted.Location;
        TimeSpan wait = accepted.RetryAfter ?? client.Options.TaskPollInterval;
        RedfishTask? last = accepted.Body is { } first ? RedfishTask.From(first) : null;
        while (true)
        {
            // Out of time is the task's slowness, not the BMC's silence, so say where the task had got to. A poll
            // due at (or after) the deadline is not sent: it would have no time to be answered.
            TimeSpan left = deadline - client.Now;
            if (left <= wait)
            {
                if (left > TimeSpan.Zero) await Task.Delay(left, client.Options.Time, ct);
                return TimedOut(what, monitor, last);
            }
            await Task.Delay(wait, client.Options.Time, ct);
            var polled = await client.GetAsync(monitor, deadline, ct);
            // A poll cut short by the deadline is the same case; timers fire to the tick, hence the slack.
            if (!polled.IsOk) return client.Now >= deadline - TimerSlack ? TimedOut(what, monitor, last) : polled.WithoutValue();
            var r = polled.Value;
            var task = r.Body is { } body ? RedfishTask.From(body) : null;
            last = task ?? last;
            wait = r.RetryAfter ?? client.Options.TaskPollInterval;
            if (r.Status == HttpStatusCode.Accepted) continue;
            if (!r.IsSuccess) return r.Failure($"{what}: polling task monitor");
            // Some BMCs answer the monitor with 200 and the Task while it still runs instead of 202.
            if (task is { IsFinished: false }) continue;
            return Outcome(task, what, monitor);
        }
    }

    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    private static BmcResult TimedOut(string what, string monitor, RedfishTask? last) =>
        BmcResult.Fail(BmcOutcome.BmcError,
            $"{what}: the BMC's task {monitor} had not finished by the deadline (last state: {last?.TaskState ?? "unknown"}, {last?.PercentComplete?.ToString() ?? "?"}%)");

    private static BmcResult Outcome(RedfishTask? task, string what, string? monitor)
    {
        if (task is null || !task.IsFinished || task.Succeeded) return BmcResult.Ok();
        string messages = string.Join("; ", task.Messages.Select(m => m.Message ?? m.MessageId).OfType<string>());
        return BmcResult.Fail(BmcOutcome.BmcError,
            $"{what}: the BMC's task {monitor ?? task.Id} ended {task.TaskState}/{task.TaskStatus}{(messages.Length > 0 ? ": " + messages : "")}");
    }
}
