using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Metal3.Cli.Api;

/// <summary>An RFC 9457 problem details body the daemon answered with, and the status it came with.</summary>
public sealed record ApiProblem(HttpStatusCode Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Reads a problem body; a body that is not one (a proxy's HTML page, nothing) still gives a readable problem.</summary>
    public static ApiProblem From(HttpStatusCode status, string? body)
    {
        JsonObject? json = null;
        try
        {
            json = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        string title = StringOf(json?["title"]) ?? DefaultTitle(status);
        string? detail = StringOf(json?["detail"]);
        if (json is null && !string.IsNullOrWhiteSpace(body))
        {
            detail = body.Length > 300 ? body[..300] + "…" : body.Trim();
        }
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        if (json?["errors"] is JsonObject fields)
        {
            foreach (var (field, messages) in fields)
            {
                errors[field] = messages switch
                {
                    JsonArray list => list.Select(m => m?.ToString() ?? "").ToArray(),
                    null => [],
                    var one => [one.ToString()],
                };
            }
        }
        return new ApiProblem(status, title, detail, errors);
    }

    public int ExitCode => Status switch
    {
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Unauthorized,
        _ => ExitCodes.Error,
    };

    /// <summary>"Title (400): detail" then one indented line per field message, as the operator reads it.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Title).Append(" (").Append((int)Status).Append(')');
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            text.Append(": ").Append(Detail);
        }
        foreach (var (field, messages) in Errors)
        {
            foreach (string message in messages)
            {
                text.AppendLine().Append("  ").Append(field).Append(": ").Append(message);
            }
        }
        if (Status == HttpStatusCode.Unauthorized)
        {
            text.AppendLine().Append("  hint: pass --token, set METAL3_TOKEN, or put token: in the config file");
        }
        return text.ToString();
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();

    private static string DefaultTitle(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Unauthorized: the token is missing or not valid",
        HttpStatusCode.Forbidden => "Forbidden: this token's role may not do that",
        HttpStatusCode.NotFound => "Not found",
        _ => $"The daemon answered {(int)status} {status}",
    };
}
