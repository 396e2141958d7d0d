using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Metal3.Drivers.Redfish;

namespace Metal3.Drivers.Tests.Redfish;

/// <summary>Property tests: whatever a BMC sends, reading it never throws.</summary>
public sealed class FuzzTests
{
    private static readonly JsonNode?[] OddValues =
    [
        null, 7, -1, 1e308, "", "x", "W/\"", true, new JsonArray(), new JsonObject(), new JsonArray(1, "two", null),
        new JsonObject { ["@odata.id"] = 5 }, "18446744073709551616", "NaN",
    ];

    // Real vendor payloads with values swapped for ones of the wrong type: what firmware bugs look like.
    private static readonly string[] Seeds =
    [
        "cray-hpe-DL325/Systems/1/index.json",
        "cray-hpe-Gigabyte/Systems/Self/index.json",
        "cray-hpe-Gigabyte/Managers/Self/VirtualMedia/CD1/index.json",
        "cray-hpe-XL675d_A100/Systems/1/Storage/DE07A000/Drives/0/index.json",
        "dmtf-public-rackmount1/Systems/437XR1138R2/EthernetInterfaces/12446A3B0411/index.json",
        "cray-hpe-Gigabyte/TaskService/Tasks/606/index.json",
        "dmtf-public-rackmount1/Systems/437XR1138R2/Memory/DIMM1/index.json",
        "dmtf-public-rackmount1/Systems/437XR1138R2/Processors/CPU1/index.json",
        "dmtf-public-rackmount1/Systems/437XR1138R2/SimpleStorage/1/index.json",
    ];

    [Fact]
    public void Vendor_payloads_with_values_of_the_wrong_type_are_read_without_exceptions()
    {
        var originals = Seeds.Select(s => File.ReadAllText(Path.Combine(Mockups.Root, s))).ToArray();
        Gen.Select(Gen.Int[0, originals.Length - 1], Gen.Int).Sample((which, seed) =>
        {
            var random = new Random(seed);
            var node = JsonNode.Parse(originals[which])!;
            Mutate(node, random);
            using var doc = JsonDocument.Parse(node.ToJsonString());
            ModelParsingTests.ReadAll(doc.RootElement);
        }, iter: 300);
    }

    private static void Mutate(JsonNode node, Random random)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (string key in o.Select(p => p.Key).ToList())
                {
                    if (random.NextDouble() < 0.25) o[key] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    else if (o[key] is { } child) Mutate(child, random);
                }
                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    if (random.NextDouble() < 0.25) a[i] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    else if (a[i] is { } child) Mutate(child, random);
                }
                break;
        }
    }

    [Fact]
    public void Any_bytes_as_a_response_body_read_as_json_or_as_a_described_problem()
    {
        Gen.Byte.Array[0, 3000].Sample(bytes =>
        {
            using var http = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
            var read = ResponseReader.ReadAsync(HttpMethod.Get, "/redfish/v1/Systems/1", http, 2000, DateTimeOffset.UtcNow, CancellationToken.None)
                .GetAwaiter().GetResult();
            Assert.True(read.Body is not null || read.BodyProblem is not null || bytes.All(b => b is 32 or 9 or 10 or 13) || bytes.Length == 0,
                "neither a body nor a problem");
            _ = read.RequireBody("reading").ToString();
            _ = read.Describe();
        }, iter: 300);
    }
}
