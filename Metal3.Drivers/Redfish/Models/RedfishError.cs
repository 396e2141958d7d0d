using System.Text.Json;

namespace Metal3.Drivers.Redfish.Models;

/// <summary>
/// The Redfish error body (<c>{"error": {"code", "message", "@Message.ExtendedInfo": [...]}}</c>). Some BMCs put
/// the useful words only in the extended info, others only in <c>message</c>, so both are kept.
/// </summary>
internal sealed record RedfishError(string? Code, string? Message, IReadOnlyList<RedfishMessage> ExtendedInfo)
{
    public static RedfishError? From(JsonElement e)
    {
        if (e.Obj("error") is not { } err)
        {
            // A few BMCs answer a failed action with a bare Message list instead of the error envelope.
            var bare = e.Arr("@Message.ExtendedInfo").Select(RedfishMessage.From).ToList();
            return bare.Count > 0 ? new RedfishError(null, null, bare) : null;
        }
        return new RedfishError(
            err.Str("code"),
            err.Str("message"),
            err.Arr("@Message.ExtendedInfo").Select(RedfishMessage.From).ToList());
    }

    /// <summary>Every message id, for matching vendor-specific codes.</summary>
    public IEnumerable<string> MessageIds =>
        ExtendedInfo.Select(m => m.MessageId).Prepend(Code).OfType<string>();

    /// <summary>One line an operator can read: the message, then any extended messages that add something.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Message)) parts.Add(Message.Trim());
        foreach (var m in ExtendedInfo)
        {
            string? text = m.Message ?? m.MessageId;
            if (!string.IsNullOrWhiteSpace(text) && !parts.Contains(text.Trim())) parts.Add(text.Trim());
        }
        if (parts.Count == 0 && Code is not null) parts.Add(Code);
        return string.Join("; ", parts);
    }
}
