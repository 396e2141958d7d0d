using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>One entry of <c>@Message.ExtendedInfo</c> or of a Task's <c>Messages</c>.</summary>
internal sealed record RedfishMessage(string? MessageId, string? Message, string? Severity)
{
    public static RedfishMessage From(JsonElement e) =>
        new(e.Str("MessageId"), e.Str("Message"), e.Str("Severity") ?? e.Str("MessageSeverity"));
}
