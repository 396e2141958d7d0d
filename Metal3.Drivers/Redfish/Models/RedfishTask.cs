using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>A Task, as returned by a task monitor while it runs (or by the TaskService).</summary>
internal sealed record RedfishTask(string? Id, string? TaskState, string? TaskStatus, double? PercentComplete, IReadOnlyList<RedfishMessage> Messages)
{
    public static RedfishTask? From(JsonElement e) =>
        e.Has("TaskState")
            ? new RedfishTask(e.Str("Id"), e.Str("TaskState"), e.Str("TaskStatus"), e.Num("PercentComplete"),
                e.Arr("Messages").Select(RedfishMessage.From).ToList())
            : null;

    /// <summary>The states after which a task never changes again (Task.v1 TaskState).</summary>
    public bool IsFinished => TaskState is "Completed" or "Exception" or "Killed" or "Cancelled";

    public bool Succeeded => TaskState == "Completed" &&
        !string.Equals(TaskStatus, "Critical", StringComparison.OrdinalIgnoreCase);
}
