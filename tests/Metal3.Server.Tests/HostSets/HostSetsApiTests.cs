using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.HostSets;

/// <summary>
/// The host set resource through the real HTTP pipeline with the loop off, so a set stays as the API left it: every bad
/// input is a problem that changes nothing; PATCH merges replicas and template only; lists page and filter; ETags.
/// </summary>
public sealed class HostSetsApiTests(HostSetsApiTests.Daemon daemon) : IClassFixture<HostSetsApiTests.Daemon>
{
    private static readonly string Checksum = new('a', 64);
    private readonly HttpClient _admin = daemon.Admin;

    /// <summary>One daemon for the class (each test uses set names of its own).</summary>
    public sealed class Daemon : IAsyncLifetime
    {
        public Metal3App App { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "hostsetsapi");
            App = new Metal3App(StoreKind.Sqlite, dir, cs);
            Admin = App.Admin();
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private static string SetBody(string name, int replicas = 2, string image = "http://images/a.raw", string labels = """{"app": "web"}""") => $$$"""
        {"name": "{{{name}}}", "replicas": {{{replicas}}}, "labelSelector": " rack = r1 ", "hardware": {"minCpus": 2},
         "template": {"image": {"url": "{{{image}}}", "checksum": "{{{Checksum}}}"}, "userData": "#cloud-config", "labels": {{{labels}}}}}
        """;

    [Fact]
    public async Task Create_returns_201_with_location_etag_and_an_empty_status()
    {
        var response = await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("web")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/hostsets/web", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var set = await JsonOf(response);
        Assert.Equal(2, (int?)set["replicas"]);
        Assert.Equal("rack = r1", (string?)set["labelSelector"]);
        Assert.Equal(2, (int?)set["hardware"]!["minCpus"]);
        Assert.Equal("http://images/a.raw", (string?)set["template"]!["image"]!["url"]);
        Assert.Equal("web", (string?)set["template"]!["labels"]!["app"]);
        Assert.Equal(0, (int?)set["status"]!["replicas"]);
        Assert.Equal(0, (int?)set["status"]!["readyReplicas"]);
        Assert.Equal(16, ((string?)set["status"]!["templateHash"])?.Length);
        Assert.Equal("\"1\"", (await _admin.GetAsync("/api/v1/hostsets/web")).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once_and_nothing_is_created()
    {
        var response = await _admin.PostAsync("/api/v1/hostsets", Json("""
            {"name": "Bad_Set", "replicas": -1, "labelSelector": "a=b=c", "hardware": {"minCpus": 0}, "image": "x",
             "template": {"userData": "#cloud-config", "labels": {"metal3.io/host-set": "other"}}}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(
            ["hardware.minCpus", "image", "labelSelector", "name", "replicas", "template.image", "template.labels"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("unknown field", (string?)errors["image"]![0]);
        Assert.Contains("'a=b=c'", (string?)errors["labelSelector"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hostsets/Bad_Set")).StatusCode);
    }

    [Theory]
    [InlineData("""{"name": "no-template", "replicas": 1}""", "template")]
    [InlineData("""{"name": "a-name-long-enough-that-its-claims-would-not-be-dns-labels-xx", "template": {"image": {"url": "http://i/a.raw", "checksum": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}}""", "name")]
    [InlineData("""{"name": "x", "replicas": "three", "template": {}}""", "replicas")]
    [InlineData("""{"name": "x", "replicas": 1001, "template": {"image": {"url": "http://i/a.raw", "checksum": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}}""", "replicas")]
    public async Task Bad_sets_are_problems_naming_the_field(string body, string field)
    {
        var response = await _admin.PostAsync("/api/v1/hostsets", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]![field]);
    }

    [Fact]
    public async Task A_name_taken_is_409_and_the_first_set_is_unchanged()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("taken", replicas: 1)))).StatusCode);

        var second = await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("taken", replicas: 5)));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, (int?)(await JsonOf(await _admin.GetAsync("/api/v1/hostsets/taken")))["replicas"]);
    }

    [Fact]
    public async Task Patch_merges_replicas_and_template_and_changes_the_template_hash()
    {
        var created = await JsonOf(await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("patched"))));

        var response = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/patched",
            """{"replicas": 5, "template": {"image": {"url": "http://images/b.raw"}, "userData": null}}""", ifMatch: "\"1\"",
            mediaType: "application/merge-patch+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var set = await JsonOf(response);
        Assert.Equal(5, (int?)set["replicas"]);
        Assert.Equal("http://images/b.raw", (string?)set["template"]!["image"]!["url"]);
        Assert.Equal(Checksum, (string?)set["template"]!["image"]!["checksum"]);
        Assert.Null((string?)set["template"]!["userData"]);
        Assert.Equal("web", (string?)set["template"]!["labels"]!["app"]);
        Assert.NotEqual((string?)created["status"]!["templateHash"], (string?)set["status"]!["templateHash"]);
        var events = (await JsonOf(await _admin.GetAsync("/api/v1/hostsets/patched/events")))["items"]!.AsArray();
        Assert.Equal(["Created", "Scaled", "TemplateChanged"], events.Select(e => (string?)e!["reason"]));
        Assert.All(events, e => Assert.StartsWith("token:", (string?)e!["actor"], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"replicas": -1}""", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"template": {"image": null}}""", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"labelSelector": "rack=r2"}""", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"hardware": null}""", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"replicas": 3, "surge": 1}""", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"replicas": 3}""", "application/json", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("not json", "application/merge-patch+json", HttpStatusCode.BadRequest)]
    public async Task A_bad_patch_is_a_problem_and_changes_nothing(string patch, string mediaType, HttpStatusCode expected)
    {
        string name = "badpatch-" + Math.Abs(patch.GetHashCode(StringComparison.Ordinal) % 100000);
        await _admin.PostAsync("/api/v1/hostsets", Json(SetBody(name)));

        var response = await _admin.SendAsync(Request(HttpMethod.Patch, $"/api/v1/hostsets/{name}", patch, mediaType: mediaType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var set = await JsonOf(await _admin.GetAsync($"/api/v1/hostsets/{name}"));
        Assert.Equal("1", (string?)set["resourceVersion"]);
        Assert.Equal(2, (int?)set["replicas"]);
    }

    [Fact]
    public async Task Patch_and_delete_honour_if_match_and_a_deleted_set_cannot_be_patched()
    {
        await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("ifmatch")));

        var stale = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/ifmatch", """{"replicas": 3}""", ifMatch: "\"9\"",
            mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _admin.SendAsync(Request(HttpMethod.Delete, "/api/v1/hostsets/ifmatch", ifMatch: "\"9\""))).StatusCode);

        var deleted = await _admin.SendAsync(Request(HttpMethod.Delete, "/api/v1/hostsets/ifmatch", ifMatch: "\"1\""));
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.NotNull((string?)(await JsonOf(deleted))["deletionRequestedAt"]);
        var late = await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/ifmatch", """{"replicas": 3}""", mediaType: "application/merge-patch+json"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/hostsets/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hostsets/nope", "{}", mediaType: "application/merge-patch+json"))).StatusCode);
    }

    [Fact]
    public async Task List_filters_by_the_template_labels_and_pages_by_name()
    {
        for (int i = 0; i < 5; i++)
        {
            string parity = i % 2 == 0 ? "even" : "odd";
            await _admin.PostAsync("/api/v1/hostsets", Json(SetBody($"list-{i}", labels: $$"""{"test": "list", "parity": "{{parity}}"}""")));
        }

        var even = (await JsonOf(await _admin.GetAsync("/api/v1/hostsets?labelSelector=test=list,parity=even")))["items"]!.AsArray();
        Assert.Equal(["list-0", "list-2", "list-4"], even.Select(s => (string?)s!["name"]));

        var names = new List<string?>();
        string? next = null;
        do
        {
            var page = await JsonOf(await _admin.GetAsync($"/api/v1/hostsets?labelSelector=test=list&limit=2{(next is null ? "" : "&continue=" + next)}"));
            names.AddRange(page["items"]!.AsArray().Select(s => (string?)s!["name"]));
            next = (string?)page["continue"];
        }
        while (next is not null);
        Assert.Equal(["list-0", "list-1", "list-2", "list-3", "list-4"], names);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/v1/hostsets?labelSelector=a=b=c")).StatusCode);
    }

    [Fact]
    public async Task Host_sets_need_a_token_readers_cannot_write_and_never_see_userData()
    {
        using var anonymous = daemon.App.WithToken(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/hostsets")).StatusCode);

        var created = await JsonOf(await _admin.PostAsync("/api/v1/tokens", Json("""{"name": "hostsets-reader", "role": "reader"}""")));
        using var reader = daemon.App.WithToken((string?)created["token"]);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/hostsets")).StatusCode);
        await _admin.PostAsync("/api/v1/hostsets", Json(SetBody("secret-data")));
        var seen = await JsonOf(await reader.GetAsync("/api/v1/hostsets/secret-data"));
        Assert.True((bool)seen["template"]!["userDataSet"]!);
        Assert.Null(seen["template"]!["userData"]);
        Assert.DoesNotContain("#cloud-config", await reader.GetStringAsync("/api/v1/hostsets"), StringComparison.Ordinal);
        Assert.Equal("#cloud-config", (string?)(await JsonOf(await _admin.GetAsync("/api/v1/hostsets/secret-data")))["template"]!["userData"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/hostsets", Json(SetBody("by-reader")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hostsets/by-reader")).StatusCode);
    }
}
