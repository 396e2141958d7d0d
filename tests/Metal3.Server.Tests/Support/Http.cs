using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Metal3.Server.Tests.Support;

public static class Http
{
    public static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, mediaType);

    public static string EnrollBody(string name, string? mac = null, string labels = "{}", string extra = "") =>
        $$"""
        {"name": "{{name}}", "labels": {{labels}}, {{(mac is null ? "" : $"\"bootMacAddress\": \"{mac}\",")}}
         "bmc": {"address": "ipmi://127.0.0.1:9623", "username": "admin", "password": "{{Secret}}"},
         "online": true {{extra}}}
        """;

    /// <summary>A password distinctive enough to search for in responses and logs.</summary>
    public const string Secret = "s3cret-Pw-7731";

    public static async Task<JsonNode> JsonOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())
        ?? throw new InvalidOperationException("empty body");

    public static HttpRequestMessage Request(HttpMethod method, string url, string? json = null, string? ifMatch = null,
        string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = Json(json, mediaType);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        return request;
    }
}
