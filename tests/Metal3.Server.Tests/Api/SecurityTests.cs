using System.Net;
using System.Text.RegularExpressions;
using Metal3.Server.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Metal3.Server.Tests.Support.Http;

namespace Metal3.Server.Tests.Api;

public sealed class SecurityTests : IAsyncLifetime
{
    // The dashboard's page and files ("/", "/ui/{file}") hold no data: its script calls the API with the user's token.
    private static readonly string[] Anonymous =
        ["/healthz", "/readyz", "/openapi/{documentName}.json", "/docs/{documentName?}", "/", "/ui/{file}",
         // The deploy agent has no API token: lookup is open, the rest takes its per-host agent token (Agent/AgentProtocolTests).
         "/api/v1/agent/lookup", "/api/v1/agent/hosts/{name}/heartbeat",
         // An unknown machine's agent reports itself as lookup does: open, rate-limited, bounded (Discovery/DiscoveryApiTests).
         "/api/v1/agent/discovery", "/api/v1/agent/hosts/{name}/commands/{id:long}/result"];
    private Metal3App _app = null!;

    public async Task InitializeAsync()
    {
        var (dir, _) = await TestStores.NewAsync(StoreKind.Sqlite, "security");
        _app = new Metal3App(StoreKind.Sqlite, dir, null);
        _ = _app.AdminToken;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/hosts" },
        { "POST", "/api/v1/hosts" },
        { "GET", "/api/v1/hosts/x" },
        { "PUT", "/api/v1/hosts/x" },
        { "PATCH", "/api/v1/hosts/x" },
        { "DELETE", "/api/v1/hosts/x" },
        { "GET", "/api/v1/hosts/x/events" },
        { "POST", "/api/v1/hosts/x/actions/reboot" },
        { "GET", "/api/v1/claims" },
        { "POST", "/api/v1/claims" },
        { "GET", "/api/v1/claims/x" },
        { "DELETE", "/api/v1/claims/x" },
        { "GET", "/api/v1/claims/x/events" },
        { "GET", "/api/v1/hostsets" },
        { "POST", "/api/v1/hostsets" },
        { "GET", "/api/v1/hostsets/x" },
        { "PATCH", "/api/v1/hostsets/x" },
        { "DELETE", "/api/v1/hostsets/x" },
        { "GET", "/api/v1/hostsets/x/events" },
        { "GET", "/api/v1/discovered" },
        { "GET", "/api/v1/discovered/x" },
        { "POST", "/api/v1/discovered/x/enroll" },
        { "POST", "/api/v1/tokens" },
        { "GET", "/api/v1/tokens" },
        { "DELETE", "/api/v1/tokens/x" },
        { "GET", "/jobs/x" },
        { "GET", "/metrics" },
    };

    [Fact]
    public void The_table_covers_every_route_that_is_not_anonymous()
    {
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!)
            .Where(r => !Anonymous.Contains(r) && !r.StartsWith("/docs/", StringComparison.Ordinal))
            .Select(r => Regex.Replace(r, "{[^}]+}", "x").TrimEnd('/').Replace("/actions/x", "/actions/reboot", StringComparison.Ordinal))
            .Distinct().Order().ToArray();
        Assert.Equal(Endpoints.Select(row => (string)row[1]).Distinct().Order().ToArray(), routes);
    }

    [Fact]
    public async Task A_route_that_says_nothing_about_authorization_is_for_admins_only()
    {
        var policies = _app.Services.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();

        var fallback = await policies.GetFallbackPolicyAsync();

        Assert.NotNull(fallback);
        var roles = Assert.Single(fallback.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>());
        Assert.Equal([Metal3.Server.Auth.Roles.Admin], roles.AllowedRoles);
        // Every mapped route decides for itself all the same: the fallback is a net, not a rule anyone relies on.
        var undecided = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText).ToArray();
        Assert.Empty(undecided);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_without_a_token_is_401(string method, string url)
    {
        var response = await _app.WithToken(null).SendAsync(Request(new HttpMethod(method), url, "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_wrong_token_is_401(string method, string url)
    {
        var response = await _app.WithToken("m3_not-a-token").SendAsync(Request(new HttpMethod(method), url, "{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_reader_may_only_read(string method, string url)
    {
        var reader = _app.WithToken(await NewToken("reader"));
        var response = await reader.SendAsync(Request(new HttpMethod(method), url, "{}"));
        if (method == "GET" && (url.StartsWith("/api/v1/hosts", StringComparison.Ordinal) || url.StartsWith("/api/v1/claims", StringComparison.Ordinal)
            || url.StartsWith("/api/v1/hostsets", StringComparison.Ordinal)
            || url.StartsWith("/api/v1/discovered", StringComparison.Ordinal) && !url.EndsWith("/enroll", StringComparison.Ordinal) || url == "/metrics"))
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_created_admin_token_may_write()
    {
        var admin2 = _app.WithToken(await NewToken("admin"));
        Assert.Equal(HttpStatusCode.Created, (await admin2.PostAsync("/api/v1/hosts", Json(EnrollBody("by-admin2")))).StatusCode);
        var bad = await _app.Admin().PostAsync("/api/v1/tokens", Json("""{"name": "x", "role": "root"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_admin_token_file_is_private()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_app.DataDir, "admin.token"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(_app.DataDir) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task The_bmc_password_appears_in_no_response_event_or_log()
    {
        var admin = _app.Admin();
        var bodies = new List<string>
        {
            await (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("pw-1", "52:54:00:00:07:01")))).Content.ReadAsStringAsync(),
            await (await admin.SendAsync(Request(HttpMethod.Put, "/api/v1/hosts/pw-1", EnrollBody("pw-1")))).Content.ReadAsStringAsync(),
            await (await admin.SendAsync(Request(HttpMethod.Patch, "/api/v1/hosts/pw-1",
                $$$"""{"bmc": {"password": "{{{Secret}}}x"}}""", mediaType: "application/merge-patch+json"))).Content.ReadAsStringAsync(),
            await (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("pw-1")))).Content.ReadAsStringAsync(),
            await (await admin.PostAsync("/api/v1/hosts", Json(EnrollBody("PW-bad")))).Content.ReadAsStringAsync(),
            await admin.GetStringAsync("/api/v1/hosts/pw-1"),
            await admin.GetStringAsync("/api/v1/hosts"),
            await admin.GetStringAsync("/api/v1/hosts/pw-1/events"),
            await (await admin.DeleteAsync("/api/v1/hosts/pw-1")).Content.ReadAsStringAsync(),
        };

        Assert.All(bodies, b => Assert.DoesNotContain(Secret, b, StringComparison.Ordinal));
        Assert.All(bodies.Take(3), b => Assert.Contains("\"credentialsSet\":true", b, StringComparison.Ordinal));
        Assert.NotEmpty(_app.Logs);
        Assert.DoesNotContain(_app.Logs, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_and_api_docs_need_no_token()
    {
        var anonymous = _app.WithToken(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var openapi = await JsonOf(await anonymous.GetAsync("/openapi/v1.json"));
        Assert.NotNull(openapi["paths"]!["/api/v1/hosts"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/hosts/{name}"]);
        var docs = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("openapi/v1.json", await docs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs/scalar.js")).StatusCode);
    }

    private async Task<string> NewToken(string role)
    {
        var response = await _app.Admin().PostAsync("/api/v1/tokens", Json($$"""{"name": "t-{{role}}", "role": "{{role}}"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await JsonOf(response))["token"]!;
    }
}
