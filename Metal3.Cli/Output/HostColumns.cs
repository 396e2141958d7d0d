using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Output;

/// <summary>The columns of <c>hosts list</c>, after <c>kubectl get baremetalhosts</c>, read from a host as GET returns it.</summary>
public static class HostColumns
{
    public static readonly string[] Narrow = ["NAME", "STATE", "CONSUMER", "ONLINE", "POWER", "BMC", "ERROR", "AGE"];
    public static readonly string[] Wide = [.. Narrow, "OPERATIONAL", "BOOT MAC", "IMAGE", "PROGRESS", "LABELS"];

    public static string[] Row(JsonObject host, bool wide, DateTimeOffset now)
    {
        string[] narrow =
        [
            Text(host, "name"),
            Text(host, "status", "provisioning", "state"),
            Text(host, "consumerRef"),
            Text(host, "online"),
            Flag(host, "on", "off", "status", "poweredOn"),
            Text(host, "bmc", "address"),
            Text(host, "status", "errorType"),
            Age(host["createdAt"], now),
        ];
        if (!wide)
        {
            return narrow;
        }
        return
        [
            .. narrow,
            Text(host, "status", "operationalStatus"),
            Text(host, "bootMacAddress"),
            Text(host, "image", "url"),
            Progress(host),
            Labels(host),
        ];
    }

    /// <summary>kubectl's age: seconds up to two minutes, minutes up to two hours, hours up to two days, then days.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalMinutes < 2 ? $"{(int)age.TotalSeconds}s"
            : age.TotalHours < 2 ? $"{(int)age.TotalMinutes}m"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }

    public static string Text(JsonNode? node, params string[] path)
    {
        foreach (string step in path)
        {
            node = node is JsonObject obj ? obj[step] : null;
        }
        return node switch
        {
            null => "",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
            JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }

    private static string Flag(JsonNode host, string yes, string no, params string[] path) =>
        Text(host, path) switch { "true" => yes, "false" => no, var other => other };

    private static string Age(JsonNode? createdAt, DateTimeOffset now) =>
        createdAt is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? Age(now - created)
            : "";

    private static string Progress(JsonObject host)
    {
        var progress = host["status"]?["provisioning"]?["progress"];
        if (JsonNumbers.Long(progress?["bytesWritten"]) is not long done)
        {
            return "";
        }
        return JsonNumbers.Long(progress?["bytesTotal"]) is long total and > 0 ? $"{100.0 * done / total:0}%" : Bytes(done);
    }

    private static string Labels(JsonObject host) =>
        host["labels"] is JsonObject labels ? string.Join(',', labels.Select(l => $"{l.Key}={Text(l.Value)}")) : "";

    private static string Bytes(long n) =>
        n >= 1L << 30 ? $"{n / (double)(1L << 30):0.0}GiB" : n >= 1L << 20 ? $"{n / (double)(1L << 20):0.0}MiB" : $"{n}B";
}
