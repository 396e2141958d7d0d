using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

/// <summary>
/// <c>PUT /api/v1/hosts/{name}</c> as apply: creates or replaces, changes nothing when repeated, and takes
/// <c>If-None-Match: *</c> (create only) and <c>If-Match</c> (update only). On each store (see the derived classes).
/// </summary>
public abstract class HostApplyTests(StoreKind store) : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "apply");
        _app = new Metal3App(store, dir, cs);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Put_creates_an_absent_host_with_201_then_replaces_its_spec_with_200()
    {
        var created = await Put("apply-1", Spec(online: true));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/hosts/apply-1", created.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal("apply-1", (string?)(await JsonOf(created))["name"]);

        var replaced = await Put("apply-1", Spec(online: false));

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"2\"", replaced.Headers.ETag?.Tag);
        Assert.False((bool?)(await JsonOf(replaced))["online"]);
    }

    [Fact]
    public async Task The_same_spec_applied_again_changes_nothing_password_included()
    {
        Assert.Equal(HttpStatusCode.Created, (await Put("apply-2", Spec(online: true))).StatusCode);

        var again = await Put("apply-2", Spec(online: true));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("\"1\"", again.Headers.ETag?.Tag);
        Assert.Equal(["Enrolled"], await Reasons("apply-2"));

        var newPassword = await Put("apply-2", Spec(online: true, password: "another-pw"));
        Assert.Equal("\"2\"", newPassword.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task If_none_match_star_creates_only()
    {
        Assert.Equal(HttpStatusCode.Created, (await Put("apply-3", Spec(online: true), ifNoneMatch: "*")).StatusCode);

        var second = await Put("apply-3", Spec(online: false), ifNoneMatch: "*");

        Assert.Equal(HttpStatusCode.PreconditionFailed, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var host = await JsonOf(await _admin.GetAsync("/api/v1/hosts/apply-3"));
        Assert.True((bool?)host["online"]);
        Assert.Equal("1", (string?)host["resourceVersion"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Put("apply-3", Spec(online: false), ifNoneMatch: "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task If_match_or_a_resource_version_updates_only()
    {
        var withHeader = await Put("apply-4", Spec(online: true), ifMatch: "\"1\"");
        var withBody = await Put("apply-4", Spec(online: true, extra: ", \"resourceVersion\": \"1\""));
        var withStar = await Put("apply-4", Spec(online: true), ifMatch: "*");

        Assert.Equal(HttpStatusCode.PreconditionFailed, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, withBody.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, withStar.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hosts/apply-4")).StatusCode);

        await Put("apply-4", Spec(online: true));
        Assert.Equal(HttpStatusCode.OK, (await Put("apply-4", Spec(online: false), ifMatch: "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Put("apply-4", Spec(online: true), ifMatch: "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task A_create_with_another_name_or_a_bad_field_is_400_and_creates_nothing()
    {
        var renamed = await Put("apply-5", Spec(online: true, name: "apply-6"));
        var invalid = await Put("apply-5", Spec(online: true, extra: ", \"bootMacAdress\": \"52:54:00:00:05:05\""));

        Assert.Equal(HttpStatusCode.BadRequest, renamed.StatusCode);
        Assert.NotNull((await JsonOf(renamed))["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull((await JsonOf(invalid))["errors"]!["bootMacAdress"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hosts/apply-5")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/v1/hosts/apply-6")).StatusCode);
    }

    private static string Spec(bool online, string password = Secret, string? name = null, string extra = "") =>
        $$"""
        {{{(name is null ? "" : $"\"name\": \"{name}\",")}} "labels": {"rack": "r1"},
         "bmc": {"address": "ipmi://127.0.0.1:9623", "username": "admin", "password": "{{password}}"},
         "online": {{(online ? "true" : "false")}} {{extra}}}
        """;

    private Task<HttpResponseMessage> Put(string name, string body, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = Request(HttpMethod.Put, $"/api/v1/hosts/{name}", body);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        return _admin.SendAsync(request);
    }

    private async Task<string[]> Reasons(string host) =>
        (await JsonOf(await _admin.GetAsync($"/api/v1/hosts/{host}/events")))["items"]!.AsArray()
            .Select(e => (string)e!["reason"]!).ToArray();
}

public sealed class HostApplySqliteTests() : HostApplyTests(StoreKind.Sqlite);

public sealed class HostApplyPostgresTests() : HostApplyTests(StoreKind.Postgres);
