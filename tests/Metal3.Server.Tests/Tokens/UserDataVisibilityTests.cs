using System.Net;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Tokens;

/// <summary>userData is write-only for readers: they see userDataSet, in every read of hosts and claims.</summary>
public sealed class UserDataVisibilityTests : IAsyncLifetime
{
    private const string UserData = "#cloud-config\\npassword: ud-Secret-4417";
    private const string Marker = "ud-Secret-4417";
    private static readonly string Image = $$"""{"url": "http://images.example/u.raw", "checksum": "{{new string('a', 64)}}"}""";
    private Metal3App _app = null!;
    private HttpClient _admin = null!;
    private HttpClient _reader = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "userdata");
        _app = new Metal3App(StoreKind.Sqlite, dir, null);
        _admin = _app.Admin();
        var created = await _admin.PostAsync("/api/v1/tokens", Json("""{"name": "viewer", "role": "reader"}"""));
        _reader = _app.WithToken((string)(await JsonOf(created))["token"]!);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts",
            Json(EnrollBody("ud-1", extra: $$""", "userData": "{{UserData}}" """)))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/hosts", Json(EnrollBody("ud-none")))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/claims",
            Json($$"""{"name": "ud-claim", "image": {{Image}}, "userData": "{{UserData}}"}"""))).StatusCode);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_reader_sees_userDataSet_and_never_userData()
    {
        var host = await JsonOf(await _reader.GetAsync("/api/v1/hosts/ud-1"));
        var none = await JsonOf(await _reader.GetAsync("/api/v1/hosts/ud-none"));
        var claim = await JsonOf(await _reader.GetAsync("/api/v1/claims/ud-claim"));

        Assert.True((bool)host["userDataSet"]!);
        Assert.Null(host["userData"]);
        Assert.False((bool)none["userDataSet"]!);
        Assert.True((bool)claim["userDataSet"]!);
        Assert.Null(claim["userData"]);
        foreach (string url in new[] { "/api/v1/hosts", "/api/v1/hosts/ud-1", "/api/v1/claims", "/api/v1/claims/ud-claim" })
        {
            string body = await _reader.GetStringAsync(url);
            Assert.DoesNotContain(Marker, body, StringComparison.Ordinal);
            Assert.Contains("\"userDataSet\":true", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_readers_watch_stream_carries_no_userData_while_an_admins_does()
    {
        await using var readerWatch = await EventStream.OpenAsync(_reader, "/api/v1/hosts?watch=true");
        await using var adminWatch = await EventStream.OpenAsync(_admin, "/api/v1/hosts?watch=true");
        var patch = Request(HttpMethod.Patch, "/api/v1/hosts/ud-1", """{"labels": {"seen": "yes"}}""", mediaType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(patch)).StatusCode);

        var readerSaw = await readerWatch.UntilAsync(seen => seen.Any(e => e.Name == "ud-1" && e.Host["labels"]?["seen"] is not null), TimeSpan.FromSeconds(10));
        var adminSaw = await adminWatch.UntilAsync(seen => seen.Any(e => e.Name == "ud-1" && e.Host["labels"]?["seen"] is not null), TimeSpan.FromSeconds(10));

        Assert.All(readerSaw.Where(e => e.Name == "ud-1"), e =>
        {
            Assert.Null(e.Host["userData"]);
            Assert.True((bool)e.Host["userDataSet"]!);
        });
        Assert.All(adminSaw.Where(e => e.Name == "ud-1"), e => Assert.Contains(Marker, (string?)e.Host["userData"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_sees_userData_and_a_patch_that_leaves_it_out_keeps_it()
    {
        var patch = Request(HttpMethod.Patch, "/api/v1/hosts/ud-1", """{"online": false}""", mediaType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await _admin.SendAsync(patch)).StatusCode);

        var host = await JsonOf(await _admin.GetAsync("/api/v1/hosts/ud-1"));

        Assert.Contains(Marker, (string?)host["userData"], StringComparison.Ordinal);
        Assert.True((bool)host["userDataSet"]!);
    }
}
