using System.Net;
using System.Text.Json.Nodes;
using Metal3.Server.Tests.Support;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Tokens;

/// <summary>Tokens have unique names, may expire, record their last use, can be revoked, and name what they write.</summary>
public abstract class TokenLifecycleTests(StoreKind store) : IAsyncLifetime
{
    private Metal3App _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        var (dir, cs) = await TestStores.NewAsync(store, "tokens");
        _app = new Metal3App(store, dir, cs);
        _admin = _app.Admin();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_taken_name_is_409_and_adds_nothing()
    {
        Assert.Equal(HttpStatusCode.Created, (await Create("""{"name": "ci", "role": "reader"}""")).StatusCode);

        var again = await Create("""{"name": "ci", "role": "admin"}""");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var ci = Assert.Single(await List(), t => (string?)t["name"] == "ci");
        Assert.Equal("reader", (string?)ci["role"]);
    }

    [Fact]
    public async Task Revoking_an_unknown_token_is_404_and_a_revoked_name_is_not_reused()
    {
        var unknown = await _admin.DeleteAsync("/api/v1/tokens/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.Created, (await Create("""{"name": "once", "role": "reader"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/tokens/once")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/v1/tokens/once")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Create("""{"name": "once", "role": "reader"}""")).StatusCode);
        Assert.DoesNotContain(await List(), t => (string?)t["name"] == "once");
    }

    [Fact]
    public async Task A_revoked_token_is_refused_at_once_on_the_daemon_that_revoked_it()
    {
        var reader = _app.WithToken(await NewToken("soon-gone", "reader"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/hosts")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync("/api/v1/tokens/soon-gone")).StatusCode);

        await Eventually.Until(async () => (await reader.GetAsync("/api/v1/hosts")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(1), () => Task.FromResult("the revoked token to be refused"), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task An_expired_token_is_401_and_an_expiry_in_the_past_is_refused()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var created = await JsonOf(await Create($$"""{"name": "brief", "role": "reader", "expiresAt": "{{expiresAt:O}}"}"""));
        var brief = _app.WithToken((string)created["token"]!);
        Assert.Equal(HttpStatusCode.OK, (await brief.GetAsync("/api/v1/hosts")).StatusCode);

        await Eventually.Until(async () => (await brief.GetAsync("/api/v1/hosts")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), () => Task.FromResult("the expired token to be refused"), TimeSpan.FromMilliseconds(50));

        Assert.True(DateTimeOffset.UtcNow >= expiresAt, "refused before it expired");
        var listed = Assert.Single(await List(), t => (string?)t["name"] == "brief");
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), DateTimeOffset.Parse((string)listed["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        var past = await Create("""{"name": "late", "role": "reader", "expiresAt": "2000-01-01T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.NotNull((await JsonOf(past))["errors"]!["expiresAt"]);
        Assert.DoesNotContain(await List(), t => (string?)t["name"] == "late");
    }

    [Fact]
    public async Task Last_use_is_recorded_and_the_secret_is_shown_only_at_creation()
    {
        var created = await JsonOf(await Create("""{"name": "used", "role": "reader"}"""));
        Assert.StartsWith("m3_", (string?)created["token"], StringComparison.Ordinal);
        Assert.Null(created["lastUsedAt"]);

        Assert.Equal(HttpStatusCode.OK, (await _app.WithToken((string)created["token"]!).GetAsync("/api/v1/hosts")).StatusCode);

        var listed = Assert.Single(await List(), t => (string?)t["name"] == "used");
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.Null(listed["token"]);
        Assert.DoesNotContain((string)created["token"]!, await _admin.GetStringAsync("/api/v1/tokens"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "has space", "role": "reader"}""", "name")]
    [InlineData("""{"name": "a/b", "role": "reader"}""", "name")]
    [InlineData("""{"name": "", "role": "reader"}""", "name")]
    [InlineData("""{"name": "x", "role": "root"}""", "role")]
    public async Task A_bad_name_or_role_is_a_problem_naming_the_field(string body, string field)
    {
        var response = await Create(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]![field]);
    }

    [Fact]
    public async Task A_write_names_its_token_in_its_event_and_the_audit_log()
    {
        var writer = _app.WithToken(await NewToken("writer", "admin"));
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync("/api/v1/hosts", Json(EnrollBody("acted-1")))).StatusCode);

        var patch = Request(HttpMethod.Patch, "/api/v1/hosts/acted-1", """{"labels": {"by": "writer"}}""", mediaType: "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, (await writer.SendAsync(patch)).StatusCode);

        var events = (await JsonOf(await _admin.GetAsync("/api/v1/hosts/acted-1/events")))["items"]!.AsArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal("token:writer", (string?)e!["actor"]));
        var audit = _app.Logs.Where(l => l.Contains("Metal3.Audit:", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, l => l.Contains("token:writer PATCH /api/v1/hosts/acted-1 host=acted-1 outcome=200", StringComparison.Ordinal));
        Assert.Contains(audit, l => l.Contains("token:writer POST /api/v1/hosts host=- outcome=201", StringComparison.Ordinal));
        Assert.DoesNotContain(audit, l => l.Contains("GET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claim_event_names_its_token()
    {
        var writer = _app.WithToken(await NewToken("claimer", "admin"));
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync("/api/v1/claims", Json("""{"name": "c-1"}"""))).StatusCode);

        var events = (await JsonOf(await _admin.GetAsync("/api/v1/claims/c-1/events")))["items"]!.AsArray();

        Assert.Equal("token:claimer", (string?)Assert.Single(events)!["actor"]);
    }

    [Fact]
    public async Task A_write_refused_for_want_of_a_token_is_audited_too()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.WithToken(null).DeleteAsync("/api/v1/hosts/nope")).StatusCode);

        Assert.Contains(_app.Logs, l => l.Contains("Metal3.Audit:", StringComparison.Ordinal)
            && l.Contains("unauthenticated DELETE /api/v1/hosts/nope host=nope outcome=401", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> Create(string body) => _admin.PostAsync("/api/v1/tokens", Json(body));

    private async Task<string> NewToken(string name, string role)
    {
        var response = await Create($$"""{"name": "{{name}}", "role": "{{role}}"}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await JsonOf(response))["token"]!;
    }

    private async Task<List<JsonNode>> List() =>
        (await JsonOf(await _admin.GetAsync("/api/v1/tokens")))["items"]!.AsArray().Select(t => t!).ToList();
}

public sealed class TokenLifecycleSqliteTests() : TokenLifecycleTests(StoreKind.Sqlite);

public sealed class TokenLifecyclePostgresTests() : TokenLifecycleTests(StoreKind.Postgres);
