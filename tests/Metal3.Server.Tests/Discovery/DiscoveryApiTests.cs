using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Discovery;
using Metal3.Server.Tests.Agent;
using Metal3.Server.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Discovery;

/// <summary>
/// Discovery through the real daemon (reconcile loop off, so a host stays as enrolment left it): anonymous agents report
/// unknown machines, readers list them, admins enroll them; reports are bounded, limited, expire, and never touch a host.
/// </summary>
public sealed class DiscoveryApiTests
{
    private const string MacA = "52:54:00:d1:00:01";
    private const string MacB = "52:54:00:d1:00:02";
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static string Report(string macs, string extra = "") => $$$"""
        {"macs": [{{{macs}}}], "bmcAddress": "198.18.0.17", {{{extra}}}
         "inventory": {"cpu": {"arch": "x86_64", "model": "Test CPU", "count": 8}, "ramMebibytes": 16384,
                       "storage": [{"name": "/dev/sda", "sizeBytes": 480000000000}],
                       "nics": [{"name": "eth0", "mac": "{{{MacB}}}", "link": false}, {"name": "eth1", "mac": "{{{MacA}}}", "link": true}],
                       "systemVendor": {"manufacturer": "QEMU", "productName": "Standard PC", "serialNumber": "S-1"} } }
        """;

    private static async Task<Metal3App> StartAsync(StoreKind store, string name, FakeTimeProvider? time = null,
        Dictionary<string, string?>? extra = null)
    {
        var (dir, cs) = await TestStores.NewAsync(store, name);
        var settings = new Dictionary<string, string?>
        {
            ["Metal3:Agent:Enabled"] = "true",
            ["Metal3:Agent:LookupsPerMinute"] = "1000",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }
        return new Metal3App(store, dir, cs, settings) { Time = time };
    }

    private static async Task<string> ReaderTokenAsync(Metal3App app)
    {
        var r = await app.Admin().PostAsync("/api/v1/tokens", Json("""{"name": "viewer", "role": "reader"}"""));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (string)(await JsonOf(r))["token"]!;
    }

    private static async Task<JsonArray> ListAsync(HttpClient client) =>
        (await JsonOf(await client.GetAsync("/api/v1/discovered")))["items"]!.AsArray();

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task An_unknown_machines_report_is_listed_for_readers_and_a_second_report_refreshes_the_same_record(StoreKind store)
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(store, "disc-record", time);
        var agent = new ScriptedAgent(app);
        var reader = app.WithToken(await ReaderTokenAsync(app));

        Assert.Equal(404, (await agent.LookupAsync($$"""{"macs": ["{{MacA}}"]}""")).Status);
        var first = await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacB}\", \"{MacA.ToUpperInvariant()}\""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await JsonOf(first);
        string id = (string)answer["id"]!;
        Assert.Equal(60, (int)answer["reportSeconds"]!);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\", \"{MacB}\""))).StatusCode);

        var items = await ListAsync(reader);
        var machine = Assert.Single(items)!;
        Assert.Equal(id, (string?)machine["id"]);
        Assert.Equal(new[] { MacA, MacB }, machine["macs"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("198.18.0.17", (string?)machine["bmcAddress"]);
        Assert.Equal(Start, (DateTimeOffset)machine["firstSeenAt"]!);
        Assert.Equal(Start.AddSeconds(30), (DateTimeOffset)machine["lastSeenAt"]!);
        Assert.Equal(Start.AddSeconds(30).AddMinutes(10), (DateTimeOffset)machine["expiresAt"]!);
        Assert.Equal(8, (int)machine["summary"]!["cpuCount"]!);
        Assert.Equal(480, (long)machine["summary"]!["diskGigabytes"]!);
        Assert.Equal("QEMU", (string?)machine["summary"]!["manufacturer"]);
        Assert.Null(machine["inventory"]);

        var one = await reader.GetAsync($"/api/v1/discovered/{id}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(16384, (long)(await JsonOf(one))["inventory"]!["ramMebibytes"]!);
    }

    [Fact]
    public async Task Reading_needs_a_token_and_enrolling_needs_an_admin()
    {
        await using var app = await StartAsync(StoreKind.Sqlite, "disc-auth");
        var agent = new ScriptedAgent(app);
        string id = (string)(await JsonOf(await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\""))))["id"]!;
        var anonymous = app.WithToken(null);
        var reader = app.WithToken(await ReaderTokenAsync(app));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/discovered")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/discovered/{id}")).StatusCode);
        var enroll = EnrollBodyFor("disc-auth-0");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/api/v1/discovered/{id}/enroll", Json(enroll))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/v1/discovered/{id}/enroll", Json(enroll))).StatusCode);
        Assert.Single(await ListAsync(reader));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync("/api/v1/hosts/disc-auth-0")).StatusCode);
    }

    private static string EnrollBodyFor(string name, string extra = "") => $$"""
        {"name": "{{name}}", "labels": {"rack": "r7"},
         "bmc": {"address": "fake://{{name}}?agent=ramdisk", "username": "admin", "password": "{{Secret}}"} {{extra}}}
        """;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Enrolling_creates_the_host_with_the_machines_mac_and_inventory_and_later_reports_cannot_touch_it(StoreKind store)
    {
        await using var app = await StartAsync(store, "disc-enroll");
        var agent = new ScriptedAgent(app);
        var admin = app.Admin();
        string id = (string)(await JsonOf(await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacB}\", \"{MacA}\""))))["id"]!;

        var enrolled = await admin.PostAsync($"/api/v1/discovered/{id}/enroll", Json(EnrollBodyFor("disc-0")));
        string text = await enrolled.Content.ReadAsStringAsync();
        Assert.True(enrolled.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal("/api/v1/hosts/disc-0", enrolled.Headers.Location?.ToString());
        Assert.DoesNotContain(Secret, text);
        var host = JsonNode.Parse(text)!;
        // The NIC with a link, not the first MAC reported.
        Assert.Equal(MacA, (string?)host["bootMacAddress"]);
        Assert.True((bool)host["bmc"]!["credentialsSet"]!);
        Assert.True((bool)host["online"]!);
        Assert.Equal("r7", (string?)host["labels"]!["rack"]);
        Assert.Equal(16384, (long)host["status"]!["hardware"]!["ramMebibytes"]!);
        Assert.Empty(await ListAsync(admin));
        var events = (await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-0/events")))["items"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["reason"] == "EnrolledFromDiscovery");
        Assert.DoesNotContain(app.Logs, line => line.Contains(Secret, StringComparison.Ordinal));

        // The waiting agent's lookup now finds the host (not yet in a state that expects it: 409, no token, not 404).
        var (status, _, lookup) = await agent.LookupAsync($$"""{"macs": ["{{MacB}}", "{{MacA}}"]}""");
        Assert.True(status == 409, lookup?.ToJsonString());
        Assert.Contains("disc-0", (string?)lookup!["detail"]);

        // A report naming the host's MAC (its own agent, or anyone posing as it) is refused and changes nothing.
        string version = (string)(await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-0")))["resourceVersion"]!;
        var posing = await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\"").Replace("16384", "1"));
        Assert.Equal(HttpStatusCode.Conflict, posing.StatusCode);
        var after = await JsonOf(await admin.GetAsync("/api/v1/hosts/disc-0"));
        Assert.Equal(version, (string?)after["resourceVersion"]);
        Assert.Equal(16384, (long)after["status"]!["hardware"]!["ramMebibytes"]!);
        Assert.Empty(await ListAsync(admin));

        // Enrolled once: the ID is gone.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/discovered/{id}/enroll", Json(EnrollBodyFor("disc-1")))).StatusCode);
    }

    [Fact]
    public async Task A_bad_enrol_is_a_problem_naming_the_field_and_changes_nothing()
    {
        await using var app = await StartAsync(StoreKind.Sqlite, "disc-badenroll");
        var agent = new ScriptedAgent(app);
        var admin = app.Admin();
        string id = (string)(await JsonOf(await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\""))))["id"]!;
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("taken-0")))).StatusCode);

        async Task<(HttpStatusCode Status, JsonNode Body)> Enroll(string path, string body)
        {
            var r = await admin.PostAsync(path, Json(body));
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return (r.StatusCode, await JsonOf(r));
        }

        var (status, body) = await Enroll($"/api/v1/discovered/{id}/enroll", EnrollBodyFor("disc-x", """, "bootMacAddress": "52:54:00:ff:ff:ff" """));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["bootMacAddress"]);
        (status, body) = await Enroll($"/api/v1/discovered/{id}/enroll", """{"name": "Bad_Name", "bmc": {"address": "nope://x"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["name"]);
        Assert.NotNull(body["errors"]!["bmc.address"]);
        (status, body) = await Enroll($"/api/v1/discovered/{id}/enroll", EnrollBodyFor("disc-x", """, "colour": "red" """));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["colour"]);
        (status, _) = await Enroll($"/api/v1/discovered/{id}/enroll", EnrollBodyFor("taken-0"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        (status, _) = await Enroll("/api/v1/discovered/not-an-id/enroll", EnrollBodyFor("disc-x"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await Enroll($"/api/v1/discovered/{Guid.NewGuid()}/enroll", EnrollBodyFor("disc-x"));
        Assert.Equal(HttpStatusCode.NotFound, status);

        Assert.Single(await ListAsync(admin));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/hosts/disc-x")).StatusCode);
        Assert.DoesNotContain(app.Logs, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_machine_that_stops_reporting_expires_and_the_sweep_deletes_it()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(StoreKind.Sqlite, "disc-expire", time,
            new() { ["Metal3:Agent:DiscoveryTtl"] = "00:05:00" });
        var agent = new ScriptedAgent(app);
        var admin = app.Admin();
        string id = (string)(await JsonOf(await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\""))))["id"]!;
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacB}\""))).StatusCode);
        var sweep = app.Services.GetRequiredService<DiscoverySweep>();

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        // Expired for readers at once, whether or not the sweep has run.
        var left = Assert.Single(await ListAsync(admin))!;
        Assert.Equal(MacB, (string?)left["macs"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/discovered/{id}")).StatusCode);
        // Moving the clock also ticks the daemon's own sweep, so count the rows rather than what this call removed.
        await sweep.SweepOnceAsync(CancellationToken.None);
        Assert.Equal(1, await RowsAsync(app));

        time.Advance(TimeSpan.FromMinutes(3));
        await sweep.SweepOnceAsync(CancellationToken.None);
        Assert.Equal(0, await RowsAsync(app));
        Assert.Equal(0, await sweep.SweepOnceAsync(CancellationToken.None));
        Assert.Empty(await ListAsync(admin));

        // Back after its TTL: a new sighting, first seen now.
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync("/api/v1/agent/discovery", Report($"\"{MacA}\""))).StatusCode);
        var back = Assert.Single(await ListAsync(admin))!;
        Assert.NotEqual(id, (string?)back["id"]);
        Assert.Equal(time.GetUtcNow(), (DateTimeOffset)back["firstSeenAt"]!);
    }

    private static async Task<int> RowsAsync(Metal3App app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Metal3.Data.Metal3DbContext>().DiscoveredMachines.CountAsync();
    }

    [Fact]
    public async Task Reports_beyond_the_bounds_are_refused_whole_and_record_nothing()
    {
        await using var app = await StartAsync(StoreKind.Sqlite, "disc-bounds", extra: new()
        {
            ["Metal3:Agent:DiscoveryMaxMachines"] = "2",
            ["Metal3:Agent:DiscoveryMaxInventoryBytes"] = "2048",
        });
        var agent = new ScriptedAgent(app);
        var admin = app.Admin();

        async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> Send(string body)
        {
            var r = await agent.PostAsync("/api/v1/agent/discovery", body);
            string text = await r.Content.ReadAsStringAsync();
            return (r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), r);
        }

        var (status, body, _) = await Send("""{"macs": ["52:54:00:d1:00:0g"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["macs[0]"]);
        (status, body, _) = await Send("""{"macs": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["macs"]);
        string tooMany = string.Join(", ", Enumerable.Range(0, 65).Select(i => $"\"52:54:00:d2:00:{i:x2}\""));
        (status, _, _) = await Send($$"""{"macs": [{{tooMany}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, body, _) = await Send($$"""{"macs": ["{{MacA}}"], "bmcAddress": "http://evil/"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["bmcAddress"]);
        (status, body, _) = await Send($$"""{"macs": ["{{MacA}}"], "colour": "red"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["colour"]);
        string disks = string.Join(", ", Enumerable.Range(0, 40).Select(i => $$"""{"name": "/dev/sd{{i}}", "sizeBytes": 1, "model": "padding-padding-padding"}"""));
        (status, body, _) = await Send($$$"""{"macs": ["{{{MacA}}}"], "inventory": {"storage": [{{{disks}}}]}}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("DiscoveryMaxInventoryBytes", (string?)body!["detail"]);
        Assert.Empty(await ListAsync(admin));

        Assert.Equal(HttpStatusCode.OK, (await Send($$"""{"macs": ["{{MacA}}"]}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send($$"""{"macs": ["{{MacB}}"]}""")).Status);
        var (full, fullBody, response) = await Send("""{"macs": ["52:54:00:d1:00:03"]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, full);
        Assert.Contains("DiscoveryMaxMachines", (string?)fullBody!["detail"]);
        Assert.NotNull(response.Headers.RetryAfter);
        // A known machine still refreshes its record when the table is full.
        Assert.Equal(HttpStatusCode.OK, (await Send($$"""{"macs": ["{{MacA}}"]}""")).Status);
        Assert.Equal(2, (await ListAsync(admin)).Count);
    }

    [Fact]
    public async Task Reports_count_against_the_lookup_rate_limit_of_their_address()
    {
        await using var app = await StartAsync(StoreKind.Sqlite, "disc-rate", extra: new() { ["Metal3:Agent:LookupsPerMinute"] = "2" });
        var agent = new ScriptedAgent(app);

        Assert.Equal(404, (await agent.LookupAsync($$"""{"macs": ["{{MacA}}"]}""", from: "203.0.113.9")).Status);
        Assert.Equal(StatusCodes.Status200OK, await ReportFromAsync(app, "203.0.113.9"));
        Assert.Equal(StatusCodes.Status429TooManyRequests, await ReportFromAsync(app, "203.0.113.9"));
        Assert.Equal(StatusCodes.Status200OK, await ReportFromAsync(app, "203.0.113.10"));
    }

    private static async Task<int> ReportFromAsync(Metal3App app, string from)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(Report($"\"{MacA}\""));
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Post;
            c.Request.Path = "/api/v1/agent/discovery";
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = bytes.Length;
            c.Request.Body = new MemoryStream(bytes);
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        return context.Response.StatusCode;
    }
}
