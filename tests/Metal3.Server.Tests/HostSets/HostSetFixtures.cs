using System.Net;
using System.Text.Json.Nodes;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.HostSets;

/// <summary>Fake hosts in labelled pools, and host sets that select one pool each.</summary>
internal static class HostSetFixtures
{
    public static readonly string[] Quiet = ["--Logging:LogLevel:Default", "Warning"];
    private static readonly string Checksum = new('b', 64);

    public static string SetBody(string name, int replicas, string version) => $$$"""
        {"name": "{{{name}}}", "replicas": {{{replicas}}}, "labelSelector": "pool={{{name}}}",
         "template": {"image": {"url": "http://images/{{{name}}}-{{{version}}}.raw", "checksum": "{{{Checksum}}}"}, "labels": {"suite": "hostsets"} } }
        """;

    public static async Task EnrollPoolAsync(HttpClient client, string pool, int count)
    {
        foreach (int i in Enumerable.Range(0, count))
        {
            var response = await client.PostAsync("/api/v1/hosts", Json($$"""
                {"name": "{{pool}}-{{i}}", "labels": {"pool": "{{pool}}"}, "bmc": {"address": "fake://{{pool}}-{{i}}?delayMs=20"}, "online": true}
                """));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public static Task AllAvailableAsync(HttpClient client, TimeSpan deadline) =>
        Eventually.Until(async () => (await HostsAsync(client)).All(h => State(h) == "available"), deadline,
            async () => "every host available: " + string.Join(", ", (await HostsAsync(client)).Select(h => $"{h["name"]}={State(h)}")));

    public static async Task<List<JsonNode>> HostsAsync(HttpClient client) =>
        (await JsonOf(await client.GetAsync("/api/v1/hosts")))["items"]!.AsArray().Select(h => h!).ToList();

    public static string? State(JsonNode host) => (string?)host["status"]!["provisioning"]!["state"];

    public static string NewDir() => Path.Combine(Path.GetTempPath(), $"metal3-hostsets-{Guid.NewGuid():N}");
}
