using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Claims;

/// <summary>
/// The claim resource through the real HTTP pipeline with the loop off, so a claim stays as the API left it: every bad
/// input is a problem that changes nothing; lists page and filter as hosts do; reads carry ETags.
/// </summary>
public sealed class ClaimsApiTests(ClaimsApiTests.Daemon daemon) : IClassFixture<ClaimsApiTests.Daemon>
{
    private static readonly string Checksum = new('e', 64);
    private readonly HttpClient _admin = daemon.Admin;

    /// <summary>One daemon for the class (each test uses claim names of its own): starting one per test would cost seconds.</summary>
    public sealed class Daemon : IAsyncLifetime
    {
        public Metal3App App { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var (dir, cs) = await TestStores.NewAsync(StoreKind.Sqlite, "claimsapi");
            App = new Metal3App(StoreKind.Sqlite, dir, cs);
            Admin = App.Admin();
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    [Fact]
    public async Task Create_returns_201_pending_with_location_and_etag()
    {
        var response = await _admin.PostAsync("/api/v1/claims", Json($$"""
            {"name": "web-0", "labels": {"app": "web"}, "labelSelector": " rack = r1 , !gpu ",
             "hardware": {"minCpus": 4, "minMemoryMiB": 8192, "minDiskGiB": 100},
             "image": {"url": "http://images/web.raw", "checksum": "{{Checksum}}"}, "userData": "#cloud-config"}
            """));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/v1/claims/web-0", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var claim = await JsonOf(response);
        Assert.Equal("rack = r1,!gpu", (string?)claim["labelSelector"]);
        Assert.Equal(8192, (long?)claim["hardware"]!["minMemoryMiB"]);
        Assert.Equal("http://images/web.raw", (string?)claim["image"]!["url"]);
        Assert.Equal("Pending", (string?)claim["status"]!["phase"]);
        Assert.Null((string?)claim["status"]!["host"]);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once_and_nothing_is_created()
    {
        var response = await _admin.PostAsync("/api/v1/claims", Json("""
            {"name": "Bad_Name", "labelSelector": "rack=r1,a=b=c", "hardware": {"minCpus": 0, "minDiskGiB": -1, "maxCpus": 3},
             "image": {"url": "ftp://x/y"}, "labels": {"-x": "y"}, "replicas": 3}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(
            ["hardware.maxCpus", "hardware.minCpus", "hardware.minDiskGiB", "image.checksum", "image.url", "labelSelector", "labels.-x", "name", "replicas"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("'a=b=c'", (string?)errors["labelSelector"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/claims/Bad_Name")).StatusCode);
    }

    [Fact]
    public async Task Data_for_the_config_drive_needs_an_image()
    {
        var response = await _admin.PostAsync("/api/v1/claims", Json("""{"name": "x", "userData": "#cloud-config", "metaData": "{}"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonOf(response))["errors"]!.AsObject();
        Assert.Equal(["metaData", "userData"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/claims/x")).StatusCode);
    }

    [Theory]
    [InlineData("not json", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("[1, 2]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("""{"name": "x", "hardware": {"minCpus": "four"}}""", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("""{"name": "x"}""", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("""{"labelSelector": "rack=r1"}""", "application/json", HttpStatusCode.BadRequest)]
    public async Task Malformed_bodies_are_problems(string body, string mediaType, HttpStatusCode expected)
    {
        var response = await _admin.PostAsync("/api/v1/claims", Json(body, mediaType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_name_taken_is_409_and_the_first_claim_is_unchanged()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/claims", Json("""{"name": "taken", "labelSelector": "role=db"}"""))).StatusCode);

        var second = await _admin.PostAsync("/api/v1/claims", Json("""{"name": "taken", "labelSelector": "role=web"}"""));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("'taken'", (string?)(await JsonOf(second))["detail"]);
        Assert.Equal("role=db", (string?)(await JsonOf(await _admin.GetAsync("/api/v1/claims/taken")))["labelSelector"]);
    }

    [Fact]
    public async Task Get_carries_the_etag_and_answers_304_when_unchanged()
    {
        await _admin.PostAsync("/api/v1/claims", Json("""{"name": "etag"}"""));

        var response = await _admin.GetAsync("/api/v1/claims/etag");
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/claims/etag");
        conditional.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, (await _admin.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/claims/nope")).StatusCode);
    }

    [Fact]
    public async Task Delete_puts_the_claim_in_releasing_and_honours_if_match()
    {
        await _admin.PostAsync("/api/v1/claims", Json("""{"name": "gone"}"""));

        var stale = await _admin.SendAsync(Request(HttpMethod.Delete, "/api/v1/claims/gone", ifMatch: "\"7\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Pending", (string?)(await JsonOf(await _admin.GetAsync("/api/v1/claims/gone")))["status"]!["phase"]);

        var deleted = await _admin.SendAsync(Request(HttpMethod.Delete, "/api/v1/claims/gone", ifMatch: "\"1\""));
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal("\"2\"", deleted.Headers.ETag?.Tag);
        var claim = await JsonOf(deleted);
        Assert.Equal("Releasing", (string?)claim["status"]!["phase"]);
        Assert.NotNull((string?)claim["deletionRequestedAt"]);

        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/claims/nope")).StatusCode);
        var events = (await JsonOf(await _admin.GetAsync("/api/v1/claims/gone/events")))["items"]!.AsArray();
        Assert.Equal(["Created", "DeletionRequested"], events.Select(e => (string?)e!["reason"]));
    }

    [Fact]
    public async Task List_filters_by_the_claims_labels_and_pages_by_name()
    {
        for (int i = 0; i < 5; i++)
        {
            string set = i % 2 == 0 ? "even" : "odd";
            await _admin.PostAsync("/api/v1/claims", Json($$$"""{"name": "list-{{{i}}}", "labels": {"test": "list", "set": "{{{set}}}"}}"""));
        }

        var even = (await JsonOf(await _admin.GetAsync("/api/v1/claims?labelSelector=test=list,set=even")))["items"]!.AsArray();
        Assert.Equal(["list-0", "list-2", "list-4"], even.Select(c => (string?)c!["name"]));

        var names = new List<string?>();
        string? next = null;
        do
        {
            var page = await JsonOf(await _admin.GetAsync($"/api/v1/claims?labelSelector=test=list&limit=2{(next is null ? "" : "&continue=" + next)}"));
            names.AddRange(page["items"]!.AsArray().Select(c => (string?)c!["name"]));
            next = (string?)page["continue"];
        }
        while (next is not null);
        Assert.Equal(["list-0", "list-1", "list-2", "list-3", "list-4"], names);
    }

    [Theory]
    [InlineData("labelSelector=a=b=c", "labelSelector")]
    [InlineData("limit=0", "limit")]
    [InlineData("continue=garbage!", "continue")]
    public async Task Bad_list_parameters_are_problems(string query, string field)
    {
        var response = await _admin.GetAsync($"/api/v1/claims?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]![field]);
    }

    [Fact]
    public async Task Claims_need_a_token_and_readers_cannot_write()
    {
        using var anonymous = daemon.App.WithToken(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/claims")).StatusCode);

        var created = await JsonOf(await _admin.PostAsync("/api/v1/tokens", Json("""{"name": "claims-reader", "role": "reader"}""")));
        using var reader = daemon.App.WithToken((string?)created["token"]);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/claims")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/v1/claims", Json("""{"name": "x"}"""))).StatusCode);
    }
}
