using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Metal3.Cli.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Metal3.Cli.Tests.Commands;

/// <summary>
/// <c>hosts watch</c> against a scripted peer that speaks the watch contract exactly (list with resourceVersion, SSE
/// with ids, keepalive comments, a stream that ends, a 410), so the client's side of the contract is tested before the
/// daemon's side exists: it must watch from the list's version, resume from the last id, and list again after 410.
/// </summary>
public class WatchContractTests
{
    [Fact]
    public async Task Watch_resumes_from_the_last_event_id_and_lists_again_after_410()
    {
        var seen = new ConcurrentQueue<string>();
        int lists = 0;
        int watches = 0;
        await using var app = await ScriptedPeer.StartAsync(async http =>
        {
            var q = http.Request.Query;
            if (q["watch"] != "true")
            {
                seen.Enqueue("list");
                bool second = Interlocked.Increment(ref lists) > 1;
                await http.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["items"] = second ? new JsonArray(Host("a", "available"), Host("b", "registering")) : new JsonArray(Host("a", "inspecting")),
                    ["continue"] = null,
                    ["resourceVersion"] = second ? "9" : "5",
                });
                return;
            }
            seen.Enqueue($"watch rv={q["resourceVersion"]}");
            switch (Interlocked.Increment(ref watches))
            {
                case 1:
                    await Events(http, ": keepalive\n\n",
                        Event("6", "MODIFIED", Host("a", "available")),
                        Event("7", "ADDED", Host("b", "registering")));
                    return; // the stream ends: the client must resume from id 7
                case 2:
                    http.Response.StatusCode = StatusCodes.Status410Gone;
                    await http.Response.WriteAsJsonAsync(new { title = "Gone", status = 410, detail = "resourceVersion 7 is too old" });
                    return;
                default:
                    await Events(http, Event("10", "DELETED", Host("a", "available")));
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                    return;
            }
        });

        using var watch = new Metal3CtlProcess(app.Url, "m3_test").StartLong("hosts", "watch");
        await watch.WaitForLineAsync(l => l.StartsWith("DELETED") && l.Contains(" a "), TimeSpan.FromSeconds(60), "DELETED a");

        Assert.Equal(["list", "watch rv=5", "watch rv=7", "list", "watch rv=9"], seen.ToArray());
        string[] events = watch.Lines.Skip(1).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3))).ToArray();
        Assert.Equal(
        [
            "ADDED a inspecting", "MODIFIED a available", "ADDED b registering",   // list, then the first stream
            "ADDED a available", "ADDED b registering",                           // the list again after 410
            "DELETED a available",
        ], events);
        Assert.StartsWith("EVENT", watch.Lines[0]);
    }

    private static JsonObject Host(string name, string state) => new()
    {
        ["name"] = name,
        ["online"] = false,
        ["bmc"] = new JsonObject { ["address"] = $"fake://{name}" },
        ["createdAt"] = DateTimeOffset.UtcNow.ToString("O"),
        ["status"] = new JsonObject { ["provisioning"] = new JsonObject { ["state"] = state }, ["poweredOn"] = false },
    };

    private static string Event(string id, string type, JsonObject host) =>
        $"id: {id}\nevent: {type}\ndata: {new JsonObject { ["type"] = type, ["object"] = host }.ToJsonString()}\n\n";

    private static async Task Events(HttpContext http, params string[] chunks)
    {
        http.Response.ContentType = "text/event-stream";
        foreach (string chunk in chunks)
        {
            await http.Response.WriteAsync(chunk);
            await http.Response.Body.FlushAsync();
        }
    }
}
