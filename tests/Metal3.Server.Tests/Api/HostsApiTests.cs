using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

/// <summary>The host resource through the real HTTP pipeline, on each store (see the derived classes).</summary>
public abstract class HostsApiTests(StoreKind store) : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "hostsapi");
        _app = new Metal3App(store, dir, cs);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Enroll_returns_201_with_location_etag_and_initial_status()
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("worker-0", "52-54-00-AB-cd-01", """{"rack": "r1"}""")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/hosts/worker-0", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var host = await JsonOf(response);
        Assert.Equal("52:54:00:ab:cd:01", (string?)host["bootMacAddress"]);
        Assert.Equal("r1", (string?)host["labels"]!["rack"]);
        Assert.Equal("1", (string?)host["resourceVersion"]);
        Assert.Equal("UEFI", (string?)host["bootMode"]);
        Assert.True((bool?)host["bmc"]!["credentialsSet"]);
        Assert.Null(host["bmc"]!["password"]);
        Assert.Equal("registering", (string?)host["status"]!["provisioning"]!["state"]);
        Assert.Equal("discovered", (string?)host["status"]!["operationalStatus"]);
        Assert.Equal(0, (int?)host["status"]!["errorCount"]);
    }

    [Fact]
    public async Task Get_returns_the_host_with_its_etag_and_304_when_unchanged()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("worker-1")));

        var response = await _admin.GetAsync("/api/v1/hosts/worker-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);

        var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hosts/worker-1");
        conditional.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Unknown_host_is_404_problem_details()
    {
        var response = await _admin.GetAsync("/api/v1/hosts/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nope", (string?)(await JsonOf(response))["detail"]);
    }

    [Fact]
    public async Task Duplicate_name_or_boot_mac_is_409()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("dup-a", "52:54:00:00:00:aa")));

        var sameName = await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("dup-a", "52:54:00:00:00:bb")));
        var sameMac = await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("dup-b", "52-54-00-00-00-AA")));

        Assert.Equal(HttpStatusCode.Conflict, sameName.StatusCode);
        Assert.Contains("dup-a", (string?)(await JsonOf(sameName))["detail"]);
        Assert.Equal(HttpStatusCode.Conflict, sameMac.StatusCode);
        Assert.Contains("52:54:00:00:00:aa", (string?)(await JsonOf(sameMac))["detail"]);
        var list = await JsonOf(await _admin.GetAsync("/api/v1/hosts"));
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Invalid_body_reports_every_bad_field_and_changes_nothing()
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json("""
            {"name": "Bad_Name", "bootMacAddress": "52:54:00:12:34", "bootMode": "bios",
             "bmc": {"address": "ipmx://x"}, "image": {"url": "ftp://x/y", "checksum": "abcd", "checksumType": "sha256"}}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(
            new[] { "bmc.address", "bootMacAddress", "bootMode", "image.checksum", "image.url", "name" },
            errors.Select(e => e.Key).Order().ToArray());
        Assert.Empty((await JsonOf(await _admin.GetAsync("/api/v1/hosts")))["items"]!.AsArray());
    }

    [Fact]
    public async Task Unknown_fields_are_reported_with_every_other_bad_field()
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json("""
            {"name": "Typo", "bootMacAdress": "52:54:00:12:34:56", "bmc": {"address": "fake://t", "pasword": "x"},
             "status": {"anything": 1}, "resourceVersion": "7"}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(["bmc.pasword", "bootMacAdress", "name"], errors.Select(e => e.Key).Order().ToArray());
        Assert.Equal("unknown field", (string?)errors["bootMacAdress"]![0]);
    }

    [Theory]
    [InlineData("{\"name\": ", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", HttpStatusCode.BadRequest)]
    [InlineData("\"just a string\"", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\": \"x\", \"online\": \"yes\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"name\": \"x\", \"bootMacAdress\": \"52:54:00:12:34:56\"}", HttpStatusCode.BadRequest)]
    public async Task Malformed_json_is_400_never_500(string body, HttpStatusCode expected)
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json(body));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var response = await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("ct-1"), "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);

        var patchAsJson = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/ct-1", "{\"online\": false}"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patchAsJson.StatusCode);
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        string huge = new('x', 2 * 1024 * 1024);
        var response = await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("big-1", extra: $", \"userData\": \"{huge}\"")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task List_filters_by_label_selector_and_state()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("sel-a", labels: """{"rack": "r1", "role": "worker"}""")));
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("sel-b", labels: """{"rack": "r2", "role": "worker"}""")));
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("sel-c", labels: """{"rack": "r1"}""")));

        Assert.Equal(["sel-a", "sel-c"], await Names("/api/v1/hosts?labelSelector=rack%3Dr1"));
        Assert.Equal(["sel-a"], await Names("/api/v1/hosts?labelSelector=rack%3Dr1,role%3D%3Dworker"));
        Assert.Equal(["sel-b"], await Names("/api/v1/hosts?labelSelector=rack!%3Dr1"));
        Assert.Equal(["sel-a", "sel-b"], await Names("/api/v1/hosts?labelSelector=role"));
        Assert.Equal(["sel-c"], await Names("/api/v1/hosts?labelSelector=!role"));
        Assert.Equal(["sel-a", "sel-b", "sel-c"], await Names("/api/v1/hosts?state=registering"));
        Assert.Empty(await Names("/api/v1/hosts?state=provisioned"));
        Assert.Equal(["sel-a", "sel-b", "sel-c"], await Names("/api/v1/hosts?state=externally%20provisioned,registering"));

        var bad = await _admin.GetAsync("/api/v1/hosts?state=sleeping&labelSelector=a%20b%3Dc&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["labelSelector", "limit", "state"], (await JsonOf(bad))["errors"]!.AsObject().Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue_through_every_host_once()
    {
        for (int i = 0; i < 7; i++)
        {
            await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody($"page-{i}")));
        }
        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = await JsonOf(await _admin.GetAsync("/api/v1/hosts?limit=3" + (token is null ? "" : $"&continue={token}")));
            seen.AddRange(page["items"]!.AsArray().Select(h => (string)h!["name"]!));
            token = (string?)page["continue"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"page-{i}"), seen);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/v1/hosts?continue=garbage!")).StatusCode);
    }

    [Fact]
    public async Task Put_replaces_the_spec_keeps_the_password_and_bumps_the_version()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("put-1", "52:54:00:00:01:01")));
        var current = await JsonOf(await _admin.GetAsync("/api/v1/hosts/put-1"));
        current["online"] = false;
        current["labels"] = new JsonObject { ["rack"] = "r9" };
        current["image"] = new JsonObject { ["url"] = "http://images/img.raw", ["checksum"] = new string('a', 64) };

        var response = await _admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/put-1", current.ToJsonString(), "\"1\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var host = await JsonOf(response);
        Assert.False((bool?)host["online"]);
        Assert.Equal("r9", (string?)host["labels"]!["rack"]);
        Assert.Equal("auto", (string?)host["image"]!["checksumType"]);
        Assert.True((bool?)host["bmc"]!["credentialsSet"]);
        Assert.Equal(["put-1"], await Names("/api/v1/hosts?labelSelector=rack%3Dr9"));
        Assert.Empty(await Names("/api/v1/hosts?labelSelector=rack%3Dr1"));
    }

    [Fact]
    public async Task Put_with_a_stale_if_match_is_412_and_changes_nothing()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("stale-1")));
        await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/stale-1", "{\"online\": false}", "\"1\"",
            "application/merge-patch+json"));

        var response = await _admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/stale-1", EnrollBody("stale-1"), "\"1\""));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var host = await JsonOf(await _admin.GetAsync("/api/v1/hosts/stale-1"));
        Assert.Equal("2", (string?)host["resourceVersion"]);
        Assert.False((bool?)host["online"]);
    }

    [Fact]
    public async Task Put_cannot_rename_a_host()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("rename-1")));
        var response = await _admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/rename-1", EnrollBody("rename-2")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]!["name"]);
    }

    [Fact]
    public async Task Merge_patch_changes_only_what_it_names_and_null_removes()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("patch-1", labels: """{"rack": "r1", "row": "a"}""",
            extra: ", \"consumerRef\": \"cluster-a/m-1\"")));

        var response = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/patch-1",
            """{"labels": {"row": null, "zone": "z1"}, "consumerRef": null, "bmc": {"username": "root"}}""",
            mediaType: "application/merge-patch+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var host = await JsonOf(response);
        Assert.Equal("""{"rack":"r1","zone":"z1"}""", host["labels"]!.ToJsonString());
        Assert.Null(host["consumerRef"]);
        Assert.Equal("root", (string?)host["bmc"]!["username"]);
        Assert.Equal("ipmi://127.0.0.1:9623", (string?)host["bmc"]!["address"]);
        Assert.True((bool?)host["bmc"]!["credentialsSet"]);
        Assert.True((bool?)host["online"]);
    }

    [Fact]
    public async Task Merge_patch_that_breaks_the_spec_is_400()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("patch-2")));
        var response = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/patch-2",
            """{"bootMacAddress": "zz:zz", "image": {"url": "http://x/y.img"}}""", mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(["bootMacAddress", "image.checksum"], errors.Select(e => e.Key).Order().ToArray());
    }

    [Fact]
    public async Task Delete_marks_the_host_for_deletion_and_records_an_event()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("del-1")));

        var response = await _admin.DeleteAsync("/api/v1/hosts/del-1");
        var again = await _admin.DeleteAsync("/api/v1/hosts/del-1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull((string?)(await JsonOf(response))["deletionRequestedAt"]);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict,
            (await _admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/del-1", EnrollBody("del-1")))).StatusCode);
        Assert.Equal(["Enrolled", "DeletionRequested"], await Reasons("del-1"));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/hosts/never-was")).StatusCode);
    }

    [Fact]
    public async Task Actions_are_accepted_and_recorded_as_events_in_order()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("act-1")));
        foreach (string action in new[] { "reboot", "inspect", "detach", "attach" })
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _admin.PostAsync($"/api/v1/hosts/act-1/actions/{action}", null)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync("/api/v1/hosts/act-1/actions/explode", null)).StatusCode);

        Assert.Equal(["Enrolled", "RebootRequested", "InspectionRequested", "DetachRequested", "AttachRequested"],
            await Reasons("act-1"));
    }

    [Fact]
    public async Task Events_page_with_limit_and_continue()
    {
        await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("ev-1")));
        for (int i = 0; i < 4; i++)
        {
            await _admin.PostAsync("/api/v1/hosts/ev-1/actions/reboot", null);
        }
        var first = await JsonOf(await _admin.GetAsync("/api/v1/hosts/ev-1/events?limit=3"));
        var second = await JsonOf(await _admin.GetAsync($"/api/v1/hosts/ev-1/events?limit=3&continue={(string?)first["continue"]}"));
        Assert.Equal(3, first["items"]!.AsArray().Count);
        Assert.Equal(2, second["items"]!.AsArray().Count);
        Assert.Null((string?)second["continue"]);
    }

    private async Task<string[]> Names(string url)
    {
        var response = await _admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response))["items"]!.AsArray().Select(h => (string)h!["name"]!).ToArray();
    }

    private async Task<string[]> Reasons(string host) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{host}/events")))["items"]!.AsArray()
            .Select(e => (string)e!["reason"]!).ToArray();
}

public sealed class HostsApiSqliteTests() : HostsApiTests(StoreKind.Sqlite);

public sealed class HostsApiPostgresTests() : HostsApiTests(StoreKind.Postgres);
